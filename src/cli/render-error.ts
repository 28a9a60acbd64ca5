import { exitCodeOf } from '../core/errors.js';
import { formatError } from '../core/format-error.js';

/**
 * The one place an error reaches the user: its message and hint on stderr (a stack
 * only with POLY_DEBUG=1, see formatError) and its exit code. The oclif commands
 * (PolyCommand.catch), the fast paths and the oclif hooks all end here.
 */
export function reportError(err: unknown): void {
  // At the top of every entry, where even making the context may have failed: this process's POLY_DEBUG.
  process.stderr.write(`${formatError(err, process.env)}\n`);
  process.exitCode = exitCodeOf(err);
}
