import type { RunningUp } from '../services/up/up.js';
import { ServiceLinePrinter, wantsColor } from './service-lines.js';

/**
 * `poly up` without a terminal (or with --no-tui): prefixed log lines until
 * Ctrl-C, a signal or `poly down` from another terminal; then everything stops.
 */
export async function runPlainUp(
  run: RunningUp,
  env: NodeJS.ProcessEnv,
  out: NodeJS.WriteStream = process.stdout,
): Promise<void> {
  const printer = new ServiceLinePrinter(run.supervisor.names(), (t) => out.write(t), wantsColor(out, env));
  for (const status of run.supervisor.status()) printer.event({ type: 'status', status });
  const off = run.supervisor.on((event) => printer.event(event));
  const handlers: Array<[NodeJS.Signals, () => void]> = [];
  const quit = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const handler = () => resolve();
      handlers.push([signal, handler]);
      process.once(signal, handler);
    }
  });
  await Promise.race([quit, run.downRequested]);
  // A second Ctrl-C while stopping must not kill poly before its services.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  await run.stop();
  process.off('SIGINT', ignore);
  for (const [signal, handler] of handlers) process.off(signal, handler);
  off();
}
