import type { DockerClient } from './client.js';
import type { ContainerSpec } from './container-spec.js';
import {
  attachOutput,
  type ContainerExit,
  createContainer,
  removeContainer,
  startContainer,
  stopContainer,
  waitForExit,
} from './containers.js';
import type { LineHandler } from './log-lines.js';

/**
 * Runs a container to completion (poly exec --container): attach, start,
 * wait, deliver the last output, remove it. Removed even when interrupted.
 */
export async function runToCompletion(
  client: DockerClient,
  spec: ContainerSpec,
  onLine: LineHandler,
  signal?: AbortSignal,
): Promise<ContainerExit> {
  const id = await createContainer(client, { ...spec, autoRemove: false });
  const abort = () => void stopContainer(client, id, 2000);
  try {
    const output = await attachOutput(client, id, onLine);
    signal?.addEventListener('abort', abort, { once: true });
    await startContainer(client, id);
    const exit = await waitForExit(client, id);
    await Promise.race([output.ended, new Promise((r) => setTimeout(r, 1000))]);
    output.close();
    return exit;
  } finally {
    signal?.removeEventListener('abort', abort);
    await removeContainer(client, id);
  }
}

/** The terminal a one-off container is wired to (poly exec --container): bytes pass through as they are. */
export interface AttachedStdio {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Allocate a TTY (when poly's own stdin and stdout are terminals). */
  tty: boolean;
  size?: { columns: number; rows: number };
}

/**
 * Like runToCompletion, with the container's stdin, stdout and stderr wired
 * to the caller's (interactive shells, piped input). With a TTY the stream
 * is raw; without one it is demultiplexed onto stdout and stderr.
 */
export async function runAttached(
  client: DockerClient,
  spec: ContainerSpec,
  stdio: AttachedStdio,
  signal?: AbortSignal,
): Promise<ContainerExit> {
  const id = await createContainer(client, { ...spec, autoRemove: false, openStdin: true, tty: stdio.tty });
  const container = client.api.getContainer(id);
  const abort = () => void stopContainer(client, id, 2000);
  try {
    const stream = (await container.attach({
      stream: true,
      stdin: true,
      stdout: true,
      stderr: true,
      hijack: true,
    })) as NodeJS.ReadWriteStream & { end(): void };
    const ended = new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
    if (stdio.tty) stream.pipe(stdio.stdout, { end: false });
    else client.api.modem.demuxStream(stream, stdio.stdout, stdio.stderr);
    // With a TTY, Ctrl-D travels as a byte; ending the hijacked stream early would cut the output off.
    stdio.stdin.pipe(stream, { end: !stdio.tty });
    signal?.addEventListener('abort', abort, { once: true });
    await startContainer(client, id);
    if (stdio.tty && stdio.size) {
      await container.resize({ h: stdio.size.rows, w: stdio.size.columns }).catch(() => {});
    }
    const exit = await waitForExit(client, id);
    await Promise.race([ended, new Promise((r) => setTimeout(r, 1000))]);
    stdio.stdin.unpipe(stream);
    return exit;
  } finally {
    signal?.removeEventListener('abort', abort);
    await removeContainer(client, id);
  }
}
