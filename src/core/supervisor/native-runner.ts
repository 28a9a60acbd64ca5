import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { PolyError } from '../errors.js';
import type { ServiceSpec } from '../manifest/types.js';
import { LineSplitter } from './line-splitter.js';
import { endServiceTree, instanceMarker, SERVICE_MARKER, type ServiceTree } from './process-tree.js';
import type { ExitStatus, RunningService, ServiceRunContext, ServiceRunner, StopOutcome } from './runner.js';

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
 * - A daemon (double fork + setsid) leaves the group and the session: every
 *   process of the service carries SERVICE_MARKER in its environment (see
 *   process-tree.ts), and stops, exits and the watchdog ($3 = the marker; on
 *   Linux it reads /proc/<pid>/environ) end the marked processes with the group.
 */
export const WATCHDOG_SCRIPT = `trap '' TERM INT HUP
while read -r _; do :; done
marked=$(grep -lzxF -- "${SERVICE_MARKER}=$3" /proc/[0-9]*/environ 2>/dev/null | sed 's,^/proc/,,;s,/environ$,,')
alive() {
  kill -0 "-$1" 2>/dev/null && return 0
  for p in $marked; do kill -0 "$p" 2>/dev/null && return 0; done
  return 1
}
kill -TERM "-$1" $marked 2>/dev/null
i=0
while alive "$1" && [ "$i" -lt "$2" ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL "-$1" $marked 2>/dev/null
exit 0`;

/** After the main process ended, how long to wait for stragglers holding its output pipes. */
const OUTPUT_DRAIN_MS = 300;

export class NativeRunner implements ServiceRunner {
  readonly mode = 'native' as const;

  /** `projectRoot` keys the marker of its services' processes (default: each service's folder). */
  constructor(private readonly projectRoot?: string) {}

  async start(spec: ServiceSpec, ctx: ServiceRunContext): Promise<RunningService> {
    if (!spec.run)
      throw new PolyError('SERVICE_NO_RUN', `service ${spec.name} has no "run" command to start natively`, {
        hint: `Add run = "..." to [services.${spec.name}] in poly.toml.`,
      });
    if (!isDirectory(ctx.cwd))
      throw new PolyError('SERVICE_NO_DIR', `service ${spec.name}: folder ${ctx.cwd} does not exist`, {
        hint: `Create it or fix services.${spec.name}.path in poly.toml.`,
      });
    const marker = instanceMarker(this.projectRoot ?? ctx.cwd, spec.name);
    const child = spawn('/bin/sh', ['-c', spec.run], {
      cwd: ctx.cwd,
      env: { ...ctx.env, [SERVICE_MARKER]: marker },
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
    const args = [String(child.pid), tenths, marker];
    const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'poly-watchdog', ...args], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    watchdog.on('error', () => {});
    watchdog.stdin?.on('error', () => {});
    return nativeInstance(
      child,
      watchdog,
      {
        pgid: child.pid as number,
        marker: { whole: marker },
        ...(spec.stopSignal ? { stopSignal: spec.stopSignal } : {}),
      },
      spec,
      ctx,
    );
  }
}

function nativeInstance(
  child: ChildProcess,
  watchdog: ChildProcess,
  tree: ServiceTree,
  spec: ServiceSpec,
  ctx: ServiceRunContext,
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
      // The main process ended; whatever it left (in its group, or daemonized) gets the same stop treatment.
      await endServiceTree(tree, spec.stopTimeout);
      watchdog.kill('SIGKILL');
      if (!closed) await Promise.race([once(child, 'close'), delay(OUTPUT_DRAIN_MS)]);
      // A straggler that escaped the marker must not keep the supervisor alive through the pipes.
      child.stdout?.destroy();
      child.stderr?.destroy();
      out.flush();
      err.flush();
      resolve({ code, signal });
    });
  });

  let stopping: Promise<StopOutcome> | undefined;
  const stop = (timeoutMs: number): Promise<StopOutcome> => {
    stopping ??= endServiceTree(tree, timeoutMs).then((end) => exited.then(() => end));
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
