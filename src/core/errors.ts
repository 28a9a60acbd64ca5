import type { PolyErrorCode } from './error-codes.js';

/**
 * The one error type a user can act on. Thrown anywhere below the commands,
 * rendered once at the top (src/cli/render-error.ts). Never call process.exit
 * from core or services: throw a PolyError instead.
 */
import { systemErrorToPolyError } from './os-error.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface PolyErrorOptions {
  /** What the user can do about it, one or two short sentences. */
  hint?: string;
  /** 2 for usage and parse errors (bad flags, bad poly.toml), 1 otherwise. */
  exitCode?: number;
  cause?: unknown;
}

export class PolyError extends Error {
  readonly code: PolyErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(code: PolyErrorCode, message: string, options: PolyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PolyError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
  }
}

export function isPolyError(err: unknown): err is PolyError {
  return err instanceof PolyError;
}

/** Plain text for a terminal or a pipe. Stack traces only with POLY_DEBUG=1. */
export function formatError(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const debug = env.POLY_DEBUG === '1';
  if (isPolyError(err)) {
    const lines = [`error: ${err.message}`];
    if (err.hint) lines.push(`hint: ${err.hint}`);
    if (debug && err.stack) lines.push('', err.stack);
    return lines.join('\n');
  }
  const mapped = systemErrorToPolyError(err);
  if (mapped) return formatError(mapped, env);
  const message = err instanceof Error ? err.message : String(err);
  const lines = [`error: ${message}`];
  if (debug && err instanceof Error && err.stack) lines.push('', err.stack);
  else lines.push('hint: this is a bug in poly; run again with POLY_DEBUG=1 for details and report it.');
  return lines.join('\n');
}

export function exitCodeOf(err: unknown): number {
  return isPolyError(err) ? err.exitCode : EXIT_FAILURE;
}
