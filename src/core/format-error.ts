import { isPolyError } from './errors.js';
import { systemErrorToPolyError } from './os-error.js';
import { isDebug } from './poly-env.js';

/** Plain text for a terminal or a pipe. Stack traces only with POLY_DEBUG=1. */
export function formatError(err: unknown, env: NodeJS.ProcessEnv): string {
  const debug = isDebug(env);
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
