import type { PolyContext } from '../../core/context.js';
import { ServiceLinePrinter } from '../../ui/service-lines.js';
import { awaitGo } from './supervisor-launch.js';
import { startServices } from './up.js';

/**
 * The body of the hidden `poly supervise` (what `poly up -d` starts in its own
 * session): runs the services until `poly down` or a signal, then stops them.
 * Its stdout is .poly/logs/supervisor.log: state changes only, as service
 * output already goes to each service's own log.
 */
export async function supervise(options: {
  cwd: string;
  services: string[];
  allContainers?: boolean;
  /** `--await-go`: plan and start only once `poly up -d` says go on stdin (see supervisor-launch.ts). */
  awaitGo?: boolean;
  /** Made once at this process's entry from the environment `poly up -d` gave it. */
  ctx: PolyContext;
}): Promise<void> {
  const { awaitGo: gated, ...upOptions } = options;
  if (gated && !(await awaitGo(process.stdin))) return;
  const run = await startServices({
    ...upOptions,
    detached: true,
    onProxyError: (err) => process.stdout.write(`proxy: ${err.message.replaceAll('\n', '\n  ')}\n`),
  });
  const printer = new ServiceLinePrinter(run.supervisor.names(), (t) => process.stdout.write(t), false);
  run.supervisor.on((event) => {
    if (event.type === 'status') printer.event(event);
  });
  const signalled = new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => resolve());
  });
  // The control socket does not hold the process: with every service failed (an image that
  // cannot be pulled) nothing would, and it would exit without stopping or cleaning up.
  const alive = setInterval(() => {}, 2 ** 30);
  try {
    await Promise.race([signalled, run.downRequested]);
    await run.stop();
  } finally {
    clearInterval(alive);
  }
}
