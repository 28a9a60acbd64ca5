/**
 * Entry point of the container watchdog process (see container-watchdog.ts):
 * reads "<container id> <stop timeout ms>" lines until its stdin closes, then
 * stops those containers. Runs as `node container-watchdog-main.js <project>`.
 */
async function main(): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => {});
  const tracked = new Map<string, number>();
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const [id, timeout] = line.trim().split(' ');
      if (id) tracked.set(id, Number(timeout) || 10_000);
    }
  });
  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  if (tracked.size === 0) return;
  // Loaded only now: dockerode costs a node start-up's worth of CPU, and most watchdogs never act.
  const { connectDocker } = await import('./client.js');
  const { stopContainer } = await import('./containers.js');
  const client = await connectDocker(process.env);
  await Promise.all(
    [...tracked].map(([id, timeout]) => stopContainer(client, id, timeout).catch(() => undefined)),
  );
}

main().then(
  () => process.exit(0),
  () => process.exit(1),
);
