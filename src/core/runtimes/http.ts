import { PolyError } from '../errors.js';
import { numberVariable } from '../poly-env.js';

/**
 * HTTP for indexes and archives: timeouts that also catch a server that
 * stalls mid-body, bounded retries with backoff on 5xx, resets and timeouts,
 * and errors that say which host failed and what to do about it.
 */
export interface HttpOptions {
  /** Milliseconds without a byte (headers or body) before the attempt fails. */
  timeoutMs: number;
  /** Extra attempts after the first one. */
  retries: number;
  /** First backoff; doubles each retry. */
  backoffMs: number;
  /** What to tell the user when the host cannot be reached (how to set a mirror). */
  unreachableHint?: string;
  onRetry?: (attempt: number, reason: string) => void;
  /** Called once per silence of `slowMs` (default 5000): the user sees what poly is waiting for. */
  onSlow?: (url: string, silentMs: number) => void;
  slowMs?: number;
}

export function httpOptionsFromEnv(env: NodeJS.ProcessEnv): HttpOptions {
  return {
    timeoutMs: numberVariable(env, 'POLY_HTTP_TIMEOUT_MS', 30_000),
    retries: numberVariable(env, 'POLY_HTTP_RETRIES', 3),
    backoffMs: numberVariable(env, 'POLY_HTTP_BACKOFF_MS', 500),
    slowMs: numberVariable(env, 'POLY_HTTP_SLOW_MS', 5000),
  };
}

/** A failure worth another attempt (5xx, reset, timeout, truncated body). */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly host: string,
    readonly unreachable = false,
  ) {
    super(message);
  }
}

const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH']);

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch (err) {
    // Not a URL (a path, a typo in a mirror setting): name it as it is.
    if (!(err instanceof TypeError)) throw err;
    return url;
  }
}

function causeCode(err: unknown): string | undefined {
  let e = err as { code?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 5; i++) {
    if (typeof e.code === 'string' && e.code !== 'ABORT_ERR') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** Turns what fetch throws into a RetryableError, or rethrows what is not retryable. */
export function classifyNetworkError(err: unknown, url: string, timedOut: boolean): never {
  if (err instanceof PolyError || err instanceof RetryableError) throw err;
  const host = hostOf(url);
  if (timedOut)
    throw new RetryableError(`${host}: no data for too long (timeout) while fetching ${url}`, host);
  const code = causeCode(err);
  if (code && UNREACHABLE.has(code)) throw new RetryableError(`cannot reach ${host} (${code})`, host, true);
  const detail = code ?? (err as Error).message;
  throw new RetryableError(`${host}: connection failed while fetching ${url} (${detail})`, host);
}

/** An idle timer: fires when no progress is reported for `ms`; `onSlow` hears of a shorter silence first. */
export function idleTimer(
  ms: number,
  controller: AbortController,
  slow?: { ms: number; notify: () => void },
) {
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  let slowTimer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    clearTimeout(slowTimer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
    if (slow && slow.ms < ms) slowTimer = setTimeout(slow.notify, slow.ms);
  };
  arm();
  return {
    touch: arm,
    stop: () => {
      clearTimeout(timer);
      clearTimeout(slowTimer);
    },
    get timedOut() {
      return timedOut;
    },
  };
}

/** Runs `attempt` until it succeeds, a non-retryable error occurs, or retries run out. */
export async function withRetries<T>(opts: HttpOptions, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof RetryableError)) throw err;
      if (n >= opts.retries) {
        if (err.unreachable) {
          throw new PolyError('HOST_UNREACHABLE', `${err.message}`, {
            hint: opts.unreachableHint ?? 'Check your network connection or set a mirror.',
            cause: err,
          });
        }
        throw new PolyError('DOWNLOAD_FAILED', `${err.message} (gave up after ${n + 1} attempts)`, {
          hint: opts.unreachableHint ?? 'Try again later, or set a mirror.',
          cause: err,
        });
      }
      opts.onRetry?.(n + 1, err.message);
      await new Promise((r) => setTimeout(r, opts.backoffMs * 2 ** n));
    }
  }
}

/** Starts a GET; the caller reads the body and must call `done()`. Status errors are classified here. */
export async function openUrl(url: string, opts: HttpOptions, accept?: string) {
  const controller = new AbortController();
  const slowMs = opts.slowMs ?? 5000;
  const onSlow = opts.onSlow;
  const idle = idleTimer(
    opts.timeoutMs,
    controller,
    onSlow ? { ms: slowMs, notify: () => onSlow(url, slowMs) } : undefined,
  );
  let res: Response;
  try {
    res = await fetch(url, {
      signal: controller.signal,
      headers: { 'user-agent': 'poly', ...(accept ? { accept } : {}) },
      redirect: 'follow',
    });
  } catch (err) {
    idle.stop();
    classifyNetworkError(err, url, idle.timedOut);
  }
  const host = hostOf(url);
  if (res.status === 404 || res.status === 410) {
    idle.stop();
    await res.body?.cancel().catch(() => {});
    throw new PolyError('NOT_FOUND', `${url} was not found (HTTP ${res.status})`);
  }
  if (res.status >= 500 || res.status === 429 || res.status === 408) {
    idle.stop();
    await res.body?.cancel().catch(() => {});
    throw new RetryableError(`${host} answered HTTP ${res.status} for ${url}`, host);
  }
  if (!res.ok || !res.body) {
    idle.stop();
    await res.body?.cancel().catch(() => {});
    throw new PolyError('HTTP_ERROR', `${host} answered HTTP ${res.status} for ${url}`, {
      hint: opts.unreachableHint,
    });
  }
  const total = Number(res.headers.get('content-length')) || undefined;
  const response = res;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    // Holding the Response itself matters: undici cancels the body of a Response that is garbage
    // collected, and a body can wait a while (until tar is loaded) before it is read.
    const body = response.body as ReadableStream<Uint8Array>;
    let received = 0;
    try {
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        idle.touch();
        received += chunk.byteLength;
        yield chunk;
      }
    } catch (err) {
      if (received > 0 && !(err instanceof PolyError)) {
        const why = idle.timedOut
          ? 'no data for too long (timeout)'
          : `connection lost (${causeCode(err) ?? (err as Error).message})`;
        throw new RetryableError(
          `${host}: ${why} after ${received}${total ? ` of ${total}` : ''} bytes of ${url}`,
          host,
        );
      }
      classifyNetworkError(err, url, idle.timedOut);
    } finally {
      idle.stop();
    }
    if (total !== undefined && received < total) {
      throw new RetryableError(
        `${host}: download of ${url} ended early (${received} of ${total} bytes)`,
        host,
      );
    }
  }
  const cancel = () => {
    idle.stop();
    controller.abort();
  };
  return { total, chunks: chunks(), cancel };
}

/** GETs a text document with retries. */
export async function fetchTextWithRetries(url: string, opts: HttpOptions, accept?: string): Promise<string> {
  return withRetries(opts, async () => {
    const { chunks } = await openUrl(url, opts, accept);
    const parts: Buffer[] = [];
    for await (const c of chunks) parts.push(Buffer.from(c));
    return Buffer.concat(parts).toString('utf8');
  });
}
