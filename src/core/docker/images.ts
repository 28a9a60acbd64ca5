import { dirname, relative } from 'node:path';
import { PolyError } from '../errors.js';
import { buildContextFilter } from './build-context.js';
import { type DockerClient, engineMessage, statusCodeOf } from './client.js';

/** One layer's progress while an image is pulled (for the dashboard). */
export interface PullProgress {
  image: string;
  layer: string;
  /** "Downloading", "Extracting", "Pull complete" … as the engine says it. */
  status: string;
  current?: number;
  total?: number;
}

/** What one layer has done so far, as the last progress event about it said. */
interface LayerState {
  done: boolean;
  downloaded?: number;
  size?: number;
}

/** Statuses after which a layer's download is complete (extraction comes next). */
const DOWNLOADED = new Set(['Verifying Checksum', 'Download complete', 'Extracting', 'Pull complete']);
/** Statuses of a layer that is in place. */
const LAYER_DONE = new Set(['Pull complete', 'Already exists']);

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}

/**
 * Folds the engine's per-layer pull events into one line for a status bar,
 * `pulling postgres:16: 3/7 layers, 45.2/120.0 MB`, at most one line per
 * `intervalMs` (the engine sends dozens of events a second). Pure: the caller
 * passes the time, and asks flush() for the last line once the pull ended.
 */
export class PullSummary {
  private readonly layers = new Map<string, LayerState>();
  private lastAt: number | undefined;
  private lastLine: string | undefined;

  constructor(
    private readonly image: string,
    private readonly intervalMs = 250,
  ) {}

  /** Takes one event; returns the line to show when one is due. */
  add(p: PullProgress, now: number): string | undefined {
    this.track(p);
    if (this.lastAt !== undefined && now - this.lastAt < this.intervalMs) return undefined;
    return this.emit(now);
  }

  /** The current line, when some line was returned and this one differs from the last. */
  flush(now: number): string | undefined {
    if (this.lastLine === undefined || this.line() === this.lastLine) return undefined;
    return this.emit(now);
  }

  line(): string {
    const layers = [...this.layers.values()];
    if (layers.length === 0) return `pulling ${this.image}`;
    const done = layers.filter((l) => l.done).length;
    const sized = layers.filter((l) => l.size !== undefined);
    const bytes =
      sized.length === 0
        ? ''
        : `, ${megabytes(sized.reduce((n, l) => n + (l.downloaded ?? 0), 0))}/${megabytes(sized.reduce((n, l) => n + (l.size ?? 0), 0))} MB`;
    return `pulling ${this.image}: ${done}/${layers.length} layers${bytes}`;
  }

  private emit(now: number): string {
    this.lastAt = now;
    this.lastLine = this.line();
    return this.lastLine;
  }

  private track(p: PullProgress): void {
    // Events without a layer ("Digest: …", "Status: …") and the "Pulling from
    // library/postgres" one, whose id is the tag, are not layers.
    if (!p.layer || p.status.startsWith('Pulling from')) return;
    const layer = this.layers.get(p.layer) ?? { done: false };
    if (p.status === 'Downloading' && p.total !== undefined && p.total > 0) {
      layer.size = p.total;
      layer.downloaded = Math.min(p.current ?? 0, p.total);
    } else if (DOWNLOADED.has(p.status) && layer.size !== undefined) layer.downloaded = layer.size;
    if (LAYER_DONE.has(p.status)) layer.done = true;
    this.layers.set(p.layer, layer);
  }
}

/** "postgres" -> "postgres:latest"; tags and digests stay as written. */
export function normalizeImageRef(ref: string): string {
  if (ref.includes('@')) return ref;
  const lastSlash = ref.lastIndexOf('/');
  return ref.slice(lastSlash + 1).includes(':') ? ref : `${ref}:latest`;
}

/** The local image's id, or undefined when no local image has that name. */
export async function imageId(client: DockerClient, ref: string): Promise<string | undefined> {
  try {
    const info = await client.api.getImage(normalizeImageRef(ref)).inspect();
    return info.Id;
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

export async function imageExists(client: DockerClient, ref: string): Promise<boolean> {
  return (await imageId(client, ref)) !== undefined;
}

interface EngineProgressEvent {
  id?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
  stream?: string;
  aux?: { ID?: string };
}

/** Runs an engine JSON-progress stream to its end; an `error` event rejects. */
function followProgress(
  client: DockerClient,
  stream: NodeJS.ReadableStream,
  onEvent: (event: EngineProgressEvent) => void,
): Promise<EngineProgressEvent[]> {
  return new Promise((resolve, reject) => {
    client.api.modem.followProgress(
      stream,
      (err: Error | null, events: EngineProgressEvent[]) => {
        if (err) return reject(err);
        const failed = events.find((e) => e.error || e.errorDetail);
        if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error ?? 'unknown error'));
        resolve(events);
      },
      onEvent,
    );
  });
}

/** Runs a build's progress stream to its end, one output line at a time; a failed step rejects. */
export async function followBuild(
  client: DockerClient,
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
): Promise<void> {
  await followProgress(client, stream, (e) => {
    if (e.stream) for (const line of e.stream.split('\n')) if (line.trim()) onLine(line);
  });
}

export function imagePullFailed(image: string, cause: unknown): PolyError {
  return new PolyError('DOCKER_IMAGE_PULL', `cannot pull image ${image}: ${engineMessage(cause)}`, {
    hint: `Load it (docker load -i image.tar), build it (docker build -t ${image} .), or name an image that exists locally (docker image ls).`,
    cause,
  });
}

/** Pulls an image, reporting each layer's progress. Fails with a PolyError naming the image and the registry's error. */
export async function pullImage(
  client: DockerClient,
  ref: string,
  onProgress: (p: PullProgress) => void = () => {},
): Promise<string> {
  const image = normalizeImageRef(ref);
  try {
    const stream = await client.api.pull(image);
    await followProgress(client, stream, (e) => {
      if (!e.status) return;
      onProgress({
        image,
        layer: e.id ?? '',
        status: e.status,
        ...(e.progressDetail?.current !== undefined ? { current: e.progressDetail.current } : {}),
        ...(e.progressDetail?.total !== undefined ? { total: e.progressDetail.total } : {}),
      });
    });
  } catch (cause) {
    throw imagePullFailed(image, cause);
  }
  const id = await imageId(client, image);
  if (!id) throw imagePullFailed(image, new Error('the engine reported success but has no such image'));
  return id;
}

/** The local image's id, pulling it first when it is missing. */
export async function ensureImage(
  client: DockerClient,
  ref: string,
  onProgress?: (p: PullProgress) => void,
): Promise<string> {
  return (await imageId(client, ref)) ?? pullImage(client, ref, onProgress);
}

export interface BuildOptions {
  /** Absolute path of the Dockerfile; its folder is the build context. */
  dockerfile: string;
  tag: string;
  labels?: Record<string, string>;
  /** One line of build output (the engine's `stream` events). */
  onLine?: (line: string) => void;
}

/**
 * Builds an image through the Engine API: the Dockerfile's folder is packed
 * with `tar` (loaded lazily) and streamed as the build context.
 */
export async function buildImage(client: DockerClient, opts: BuildOptions): Promise<string> {
  const { create } = await import('tar');
  const context = dirname(opts.dockerfile);
  const filter = await buildContextFilter(context, opts.dockerfile);
  const pack = filter
    ? create({ cwd: context, portable: true, gzip: false, filter }, ['.'])
    : create({ cwd: context, portable: true, gzip: false }, ['.']);
  try {
    const stream = await client.api.buildImage(pack as unknown as NodeJS.ReadableStream, {
      t: opts.tag,
      dockerfile: relative(context, opts.dockerfile),
      labels: opts.labels ?? {},
      rm: true,
    });
    await followProgress(client, stream, (e) => {
      if (e.stream && opts.onLine) {
        for (const line of e.stream.split('\n')) if (line.trim()) opts.onLine(line);
      }
    });
  } catch (cause) {
    throw new PolyError('DOCKER_BUILD', `building ${opts.dockerfile} failed: ${engineMessage(cause)}`, {
      hint: 'Fix the Dockerfile (try `docker build` in its folder to see the full output).',
      cause,
    });
  }
  const id = await imageId(client, opts.tag);
  if (!id) throw new PolyError('DOCKER_BUILD', `building ${opts.dockerfile} produced no image ${opts.tag}`);
  return id;
}

/** Pushes a local image to the registry its tag names; returns the registry's digest (repo@sha256:…). */
export async function pushImage(
  client: DockerClient,
  tag: string,
  onLine: (line: string) => void = () => {},
): Promise<string | undefined> {
  const image = normalizeImageRef(tag);
  try {
    const stream = (await client.api.getImage(image).push({})) as unknown as NodeJS.ReadableStream;
    await followProgress(client, stream, (e) => {
      if (e.status && !e.progressDetail?.total) onLine(`${e.id ? `${e.id}: ` : ''}${e.status}`);
    });
  } catch (cause) {
    throw new PolyError('BUILD_PUSH', `cannot push ${image}: ${engineMessage(cause)}`, {
      hint: 'Check that the registry the tag names is reachable and that `docker login <registry>` was run for it.',
      cause,
    });
  }
  const info = await client.api.getImage(image).inspect();
  const repo = image.slice(0, image.lastIndexOf(':'));
  return info.RepoDigests?.find((d) => d.startsWith(`${repo}@`));
}

/** Tags an existing image under another name (repo:tag). */
export async function tagImage(client: DockerClient, source: string, target: string): Promise<void> {
  const ref = normalizeImageRef(target);
  const at = ref.lastIndexOf(':');
  await client.api.getImage(source).tag({ repo: ref.slice(0, at), tag: ref.slice(at + 1) });
}

/** Removes one name of an image; the image goes too when that was its last name. Missing is fine. */
export async function removeImageTag(client: DockerClient, ref: string): Promise<void> {
  try {
    await client.api.getImage(normalizeImageRef(ref)).remove({ noprune: false });
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw err;
  }
}
