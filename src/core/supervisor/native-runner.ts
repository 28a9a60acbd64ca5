import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { PolyError } from '../errors.js';
import type { ServiceSpec } from '../manifest/types.js';
import { LineSplitter } from './line-splitter.js';
import { endGroup } from './process-group.js';
import type { ExitStatus, RunningService, ServiceRunContext, ServiceRunner } from './runner.js';

/**
 * How a native service runs, and why this shape:
 *
 * - `run` is a command line the user wrote in poly.toml ("cargo run",
 *   "npm run dev -- --port $PORT"), so it is meant for a shell: it goes to
 *   `sh -c` as one argument, never assembled from other data. `detached: true`
 *   gives it its own session and process group (pgid = its pid), so one
 *   signal to the group reaches `cargo run` and the binary it started, and the
 *   terminal's Ctrl-C reaches poly only.
 * - Node cannot set PR_SET_PDEATHSIG, so a service would outlive a supervisor
 *   killed with SIGKILL. Each service therefore gets a watchdog: a tiny `sh`
 *   (the constant script below; $1 = the group id, $2 = tenths of a second
 *   of grace) whose stdin is a pipe from the supervisor. However the
 *   supervisor dies, the kernel closes that pipe; on EOF the watchdog sends
 *   SIGTERM to the group, waits out the stop timeout, then sends SIGKILL. It
 *   costs one sleeping shell per service and works on Linux and macOS alike.
 * - The watchdog lives outside the service's group, so the supervisor can
 *   tell when the group is empty (isGroupAlive) and give every process in it,
 *   not only the first, its stop timeout before SIGKILL. In normal operation
 *   the supervisor ends the watchdog itself once the group is gone.
 */
const WATCHDOG_SCRIPT = `trap '' TERM INT HUP
while read -r _; do :; done
kill -TERM "-$1" 2>/dev/null || exit 0
i=0
while kill -0 "-$1" 2>/dev/null && [ "$i" -lt "$2" ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL "-$1" 2>/dev/null
exit 0`;

/** After the main process ended, how long to wait for stragglers holding its output pipes. */
const OUTPUT_DRAIN_MS = 300;

export class NativeRunner implements ServiceRunner {
  readonly mode = 'native' as const;

  async start(spec: ServiceSpec, ctx: ServiceRunContext): Promise<RunningService> {
    if (!spec.run)
      throw new PolyError('SERVICE_NO_RUN', `service ${spec.name} has no "run" command to start natively`, {
        hint: `Add run = "..." to [services.${spec.name}] in poly.toml.`,
      });
    if (!isDirectory(ctx.cwd))
      throw new PolyError('SERVICE_NO_DIR', `service ${spec.name}: folder ${ctx.cwd} does not exist`, {
        hint: `Create it or fix services.${spec.name}.path in poly.toml.`,
      });
    const child = spawn('/bin/sh', ['-c', spec.run], {
      cwd: ctx.cwd,
      env: ctx.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) =>
        reject(new PolyError('SERVICE_SPAWN', `service ${spec.name}: cannot start: ${err.message}`)),
      );
    });
    const tenths = String(Math.max(1, Math.ceil(spec.stopTimeout / 100)));
    const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'poly-watchdog', String(child.pid), tenths], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    watchdog.on('error', () => {});
    watchdog.stdin?.on('error', () => {});
    return nativeInstance(child, watchdog, spec.stopTimeout, ctx, spec.stopSignal);
  }
}

function nativeInstance(
  child: ChildProcess,
  watchdog: ChildProcess,
  stopTimeout: number,
  ctx: ServiceRunContext,
  stopSignal: NodeJS.Signals = 'SIGTERM',
): RunningService {
  const pid = child.pid as number;
  const out = new LineSplitter((line) => ctx.onLine(line, 'stdout'));
  const err = new LineSplitter((line) => ctx.onLine(line, 'stderr'));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
  let closed = false;
  child.once('close', () => {
    closed = true;
  });

  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', async (code, signal) => {
      // The main process ended; whatever it left in its group gets the same stop treatment.
      await endGroup(pid, stopTimeout, stopSignal);
      watchdog.kill('SIGKILL');
      if (!closed) await Promise.race([once(child, 'close'), delay(OUTPUT_DRAIN_MS)]);
      out.flush();
      err.flush();
      resolve({ code, signal });
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (timeoutMs: number): Promise<void> => {
    stopping ??= endGroup(pid, timeoutMs, stopSignal).then(() => exited.then(() => undefined));
    return stopping;
  };
  return { id: `pid:${pid}`, pid, exited, stop };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
