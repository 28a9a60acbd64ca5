import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync } from 'node:fs';
import type { PolyContext } from '../../core/context.js';
import type { Manifest } from '../../core/manifest/types.js';
import type { ProjectLayout } from '../../core/store/layout.js';
import { selfCommand } from '../env/self-command.js';

/** What the supervisor reads on stdin before it plans: see awaitGo(). */
const GO = 'go\n';

/** A `poly supervise` started early, waiting on its stdin for `go()` before it plans or starts anything. */
export interface GatedSupervisor {
  child: ChildProcess;
  /** supervisor.log's size before this launch: its error tail starts there. */
  logStart: number;
  /** Its exit code once it exited (null: killed by a signal). */
  exit(): number | null | undefined;
  /** Lets it plan and start the services. */
  go(): void;
  /** Not needed after all (a supervisor already runs, or planning failed here): it exits, having done nothing. */
  cancel(): void;
}

/**
 * Starts `poly supervise` in its own session (it survives the terminal) right
 * away, so its Node start and module loading overlap with `poly up -d`'s own
 * lock, checks and planning; it waits for go() before it does anything. A
 * cancel() (or this process dying) closes its stdin and it exits unstarted.
 */
export function spawnGatedSupervisor(
  manifest: Pick<Manifest, 'root'>,
  layout: ProjectLayout,
  options: { services: string[]; allContainers?: boolean; ctx: PolyContext },
): GatedSupervisor {
  mkdirSync(layout.logs, { recursive: true });
  const logFd = openSync(layout.supervisorLog, 'a');
  const logStart = fstatSync(logFd).size;
  const [node, bin] = selfCommand();
  const child = spawn(
    node,
    [
      bin,
      'supervise',
      '--cwd',
      manifest.root,
      '--await-go',
      ...(options.allContainers ? ['--container'] : []),
      ...options.services,
    ],
    {
      detached: true,
      stdio: ['pipe', logFd, logFd],
      // It makes its own context from this environment, as every poly process does at its entry.
      env: options.ctx.env,
      // Not the caller's folder: messages about poly.toml (a later apply) read "poly.toml:7:3".
      cwd: manifest.root,
    },
  );
  closeSync(logFd);
  let exitCode: number | null | undefined;
  child.once('exit', (code) => {
    exitCode = code;
  });
  // It exits by itself once it reads EOF; a failed write (it already died) is its exit's business.
  child.stdin?.on('error', () => {});
  child.unref();
  let decided = false;
  const decide = (text: string) => {
    if (decided) return;
    decided = true;
    child.stdin?.end(text);
  };
  return {
    child,
    logStart,
    exit: () => exitCode,
    go: () => decide(GO),
    cancel: () => decide(''),
  };
}

/**
 * The supervisor's side: resolves true once `go` arrives on `input`, false
 * when it closes without it (`poly up -d` did not need this supervisor).
 */
export function awaitGo(input: NodeJS.ReadableStream & { destroy?(): void }): Promise<boolean> {
  return new Promise((resolve) => {
    let text = '';
    const done = (go: boolean) => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.removeListener('error', onEnd);
      // Nothing more comes: a readable stdin left open would hold the process and its pipe.
      input.destroy?.();
      resolve(go);
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes(GO)) done(true);
    };
    const onEnd = () => done(false);
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onEnd);
  });
}
