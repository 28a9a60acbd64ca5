import type { DockerClient } from './client.js';
import type { AttachedStdio } from './one-off.js';

/** Where an exec's bytes go: the caller's terminal, or pipes (stdin optional). */
export type ExecStdio = Omit<AttachedStdio, 'stdin'> & { stdin?: NodeJS.ReadableStream };

export interface ExecOptions {
  /** argv, run as is (no shell). */
  cmd: string[];
  /** Extra variables for this process only (e.g. a password, kept out of argv). */
  env?: Record<string, string>;
  /** Default: the image's user. */
  user?: string;
  stdio: ExecStdio;
}

/**
 * `docker exec` through the Engine API: runs `cmd` inside a running
 * container, wired to the caller's stdio (a TTY when asked, otherwise
 * stdout and stderr apart, and stdin ended when the caller's input ends,
 * so piped input works). Resolves with the process's exit code.
 */
export async function execInRunning(
  client: DockerClient,
  container: string,
  opts: ExecOptions,
): Promise<number> {
  const { stdio } = opts;
  const exec = await client.api.getContainer(container).exec({
    Cmd: opts.cmd,
    Env: Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
    AttachStdin: !!stdio.stdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: stdio.tty,
    ...(opts.user ? { User: opts.user } : {}),
  });
  const stream = (await exec.start({
    hijack: true,
    stdin: !!stdio.stdin,
    Tty: stdio.tty,
  })) as NodeJS.ReadWriteStream;
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  if (stdio.tty) {
    stream.pipe(stdio.stdout, { end: false });
    if (stdio.size) await exec.resize({ h: stdio.size.rows, w: stdio.size.columns }).catch(() => {});
  } else client.api.modem.demuxStream(stream, stdio.stdout, stdio.stderr);
  // Without a TTY the end of the caller's input is the end of the process's (`echo 'select 1' | poly db shell`).
  stdio.stdin?.pipe(stream, { end: !stdio.tty });
  try {
    await ended;
  } finally {
    stdio.stdin?.unpipe(stream);
  }
  const info = await exec.inspect();
  return info.ExitCode ?? 1;
}
