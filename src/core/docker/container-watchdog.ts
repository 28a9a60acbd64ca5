import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Stops a supervisor's containers when the supervisor dies (kill -9, OOM),
 * as the per-service watchdog shell does for native services (see
 * native-runner.ts). The engine keeps a container running whatever happens
 * to the process that started it, so a small node process, its own session,
 * holds a pipe from the supervisor: the supervisor writes one line per
 * container it starts ("<id> <stop timeout ms>"); when the pipe closes
 * without the supervisor having exited cleanly, it stops exactly those
 * containers (kept, not removed: `poly down` removes them, a later
 * `poly up` may start them again). One per container runner, started with
 * its first container.
 */
export class ContainerWatchdog {
  private child: ChildProcess | undefined;

  /** `project` is only shown in the process list (`ps`), to tell watchdogs apart. */
  constructor(private readonly project: string) {}

  track(containerId: string, stopTimeoutMs: number): void {
    const child = this.spawned();
    child.stdin?.write(`${containerId} ${Math.max(0, Math.round(stopTimeoutMs))}\n`);
  }

  private spawned(): ChildProcess {
    if (this.child) return this.child;
    const main = fileURLToPath(new URL('./container-watchdog-main.js', import.meta.url));
    const child = spawn(process.execPath, [main, this.project], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      // DOCKER_HOST and the rest: it must reach the same engine.
      env: process.env,
    });
    child.on('error', () => {});
    child.stdin?.on('error', () => {});
    // It must not keep the supervisor alive, and a clean exit (every container stopped) needs no watchdog.
    child.unref();
    (child.stdin as { unref?: () => void } | null)?.unref?.();
    process.once('exit', (code) => {
      if (code === 0) child.kill('SIGKILL');
    });
    this.child = child;
    return child;
  }
}
