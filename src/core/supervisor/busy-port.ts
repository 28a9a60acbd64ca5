import { findPortHolder } from './ports.js';

const ADDRESS_IN_USE = /EADDRINUSE|address already in use|bind: address in use|Address in use/i;

/**
 * When a service's last lines say it could not bind (EADDRINUSE and the
 * like), who holds its port: "port 4100 is held by pid 812 (nginx: master)",
 * or by this supervisor itself. Undefined when the lines say nothing of the
 * sort or the holder cannot be found (another user's process).
 */
export async function busyPortNote(port: number, lastLines: readonly string[]): Promise<string | undefined> {
  if (!lastLines.some((line) => ADDRESS_IN_USE.test(line))) return undefined;
  const holder = await findPortHolder(port);
  if (!holder) return `port ${port} is taken by a process poly cannot see (\`ss -ltnp 'sport = :${port}'\`)`;
  if (holder.pid === process.pid) return `port ${port} is held by this poly supervisor (pid ${holder.pid})`;
  return `port ${port} is held by pid ${holder.pid} (${holder.command.slice(0, 80)})`;
}
