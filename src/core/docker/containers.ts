import { constants } from 'node:os';
import type { DockerClient } from './client.js';
import { statusCodeOf } from './client.js';
import { type ContainerSpec, toCreateOptions } from './container-spec.js';
import { LABEL_CONFIG_HASH, LABEL_SERVICE, type ProjectRef, projectFilters } from './labels.js';
import { DockerLogDemuxer, type LineHandler } from './log-lines.js';

export interface ContainerState {
  id: string;
  name: string;
  running: boolean;
  exitCode: number;
  labels: Record<string, string>;
  /** The image's own HEALTHCHECK status, when it has one: "starting" | "healthy" | "unhealthy". */
  health?: string;
}

export interface ContainerExit {
  code: number;
  /** Set when the exit code says a signal ended the process (128 + n), e.g. 143 -> SIGTERM. */
  signal: NodeJS.Signals | null;
}

export async function inspectContainer(
  client: DockerClient,
  idOrName: string,
): Promise<ContainerState | undefined> {
  try {
    const info = await client.api.getContainer(idOrName).inspect();
    const health = (info.State as { Health?: { Status?: string } }).Health?.Status;
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      running: info.State.Running,
      exitCode: info.State.ExitCode,
      labels: info.Config.Labels ?? {},
      ...(health ? { health } : {}),
    };
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

export async function createContainer(client: DockerClient, spec: ContainerSpec): Promise<string> {
  const container = await client.api.createContainer(toCreateOptions(spec));
  return container.id;
}

/** Starts a container; one that already runs is left as it is. */
export async function startContainer(client: DockerClient, id: string): Promise<void> {
  try {
    await client.api.getContainer(id).start();
  } catch (err) {
    if (statusCodeOf(err) !== 304) throw err;
  }
}

/** SIGTERM, then SIGKILL after the timeout (the engine counts whole seconds). Gone or stopped is fine. */
export async function stopContainer(client: DockerClient, id: string, timeoutMs: number): Promise<void> {
  try {
    await client.api.getContainer(id).stop({ t: Math.max(0, Math.ceil(timeoutMs / 1000)) });
  } catch (err) {
    const code = statusCodeOf(err);
    if (code !== 304 && code !== 404) throw err;
  }
}

export async function removeContainer(client: DockerClient, id: string): Promise<void> {
  try {
    await client.api.getContainer(id).remove({ force: true, v: false });
  } catch (err) {
    const code = statusCodeOf(err);
    // 409: removal already in progress (AutoRemove).
    if (code !== 404 && code !== 409) throw err;
  }
}

export function exitOf(code: number): ContainerExit {
  let signal: NodeJS.Signals | null = null;
  if (code > 128) {
    const found = Object.entries(constants.signals).find(([, n]) => n === code - 128);
    if (found) signal = found[0] as NodeJS.Signals;
  }
  return { code, signal };
}

/** Resolves when the container is not running (at once if it already stopped), with its exit code. */
export async function waitForExit(client: DockerClient, id: string): Promise<ContainerExit> {
  try {
    const res = (await client.api.getContainer(id).wait()) as { StatusCode: number };
    return exitOf(res.StatusCode);
  } catch (err) {
    // Removed while we waited (AutoRemove or poly down): report what the engine last knew.
    if (statusCodeOf(err) === 404) return { code: 137, signal: 'SIGKILL' };
    throw err;
  }
}

type EngineStream = NodeJS.ReadableStream & { destroy(): void };

export interface LogFollower {
  /** Stops following; lines already received have been delivered. */
  close(): void;
  /** Resolves when the stream ends (the container stopped or close() was called). */
  ended: Promise<void>;
}

/**
 * Attaches to a container's output and delivers it line by line. Call it
 * before startContainer() so the first lines are not lost.
 */
export async function attachOutput(
  client: DockerClient,
  id: string,
  onLine: LineHandler,
  tty = false,
): Promise<LogFollower> {
  const container = client.api.getContainer(id);
  const stream = (await container.attach({
    stream: true,
    stdout: true,
    stderr: true,
  })) as unknown as EngineStream;
  return followStream(stream, onLine, tty);
}

export interface LogOptions {
  /** Only lines after this unix time (seconds). */
  sinceSeconds?: number;
  /** Only the last n lines that exist now. */
  tail?: number;
  /** Keep delivering new lines until the container stops or close() (default true). */
  follow?: boolean;
}

/** A container's logs, line by line (`poly logs`, or re-attaching to a running container). */
export async function followLogs(
  client: DockerClient,
  id: string,
  onLine: LineHandler,
  opts: LogOptions = {},
): Promise<LogFollower> {
  const container = client.api.getContainer(id);
  const base = {
    stdout: true,
    stderr: true,
    since: opts.sinceSeconds ?? 0,
    ...(opts.tail !== undefined ? { tail: opts.tail } : {}),
  };
  if (opts.follow === false) {
    // Without follow the engine answers with one buffer, not a stream.
    const buffer = (await container.logs({ ...base, follow: false as const })) as unknown as Buffer;
    const demux = new DockerLogDemuxer(onLine);
    demux.push(Buffer.from(buffer));
    demux.end();
    return { close: () => {}, ended: Promise.resolve() };
  }
  const stream = (await container.logs({ ...base, follow: true as const })) as unknown as EngineStream;
  return followStream(stream, onLine, false);
}

function followStream(stream: EngineStream, onLine: LineHandler, tty: boolean): LogFollower {
  const demux = tty ? undefined : new DockerLogDemuxer(onLine);
  let pending = '';
  const ended = new Promise<void>((resolve) => {
    const finish = () => {
      demux?.end();
      if (pending) onLine(pending, 'stdout');
      pending = '';
      resolve();
    };
    stream.on('data', (chunk: Buffer) => {
      if (demux) return demux.push(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line, 'stdout');
    });
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });
  return { close: () => stream.destroy(), ended };
}

export interface ProjectContainer {
  id: string;
  name: string;
  service: string | undefined;
  configHash: string | undefined;
  /** "running", "exited" … */
  state: string;
  /** The engine's summary for `poly ps`, e.g. "Up 3 minutes (healthy)". */
  status: string;
}

/** Every container (running or not) labelled with the project. */
export async function listProjectContainers(
  client: DockerClient,
  project: ProjectRef,
): Promise<ProjectContainer[]> {
  const list = await client.api.listContainers({ all: true, filters: projectFilters(project) });
  return list.map((c) => ({
    id: c.Id,
    name: (c.Names[0] ?? '').replace(/^\//, ''),
    service: c.Labels[LABEL_SERVICE],
    configHash: c.Labels[LABEL_CONFIG_HASH],
    state: c.State,
    status: c.Status,
  }));
}
