import type { PolyErrorCode } from './error-codes.js';

/**
 * The one error type a user can act on. Thrown anywhere below the commands,
 * rendered once at the top (src/cli/render-error.ts, through format-error.ts). Never call process.exit
 * from core or services: throw a PolyError instead.
 */
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

export function exitCodeOf(err: unknown): number {
  return isPolyError(err) ? err.exitCode : EXIT_FAILURE;
}
