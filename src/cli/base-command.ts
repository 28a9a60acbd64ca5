import { Command, Errors, Flags } from '@oclif/core';
import type { PolyContext } from '../core/context.js';
import { EXIT_USAGE, isPolyError, PolyError } from '../core/errors.js';
import { reportError } from './render-error.js';
import { thisProcessContext } from './this-process.js';

/**
 * Every poly command extends this: the global -C/--cwd flag and the one place
 * where oclif's errors are turned into ours and handed to the one renderer (render-error.ts).
 */
export abstract class PolyCommand extends Command {
  static override baseFlags = {
    cwd: Flags.directory({
      char: 'C',
      summary: 'Run as if poly was started in this folder.',
      helpGroup: 'GLOBAL',
    }),
  };

  #context: PolyContext | undefined;

  /** This process's environment, store and machine, made once and passed to the services. */
  protected context(): PolyContext {
    this.#context ??= thisProcessContext();
    return this.#context;
  }

  /** The folder the command acts on: --cwd, else the process's cwd. */
  protected workdir(flags: { cwd?: string | undefined }): string {
    return flags.cwd ?? process.cwd();
  }

  protected override async catch(
    err: Error & { exitCode?: number; oclif?: { exit?: number } },
  ): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err;
    // oclif's own parse errors (unknown flag, missing arg) carry exit 2: usage errors.
    if (err.oclif?.exit === EXIT_USAGE && !isPolyError(err)) {
      const message = err.message.replace(/\nSee more help with --help$/, '');
      const usage = new PolyError('USAGE', message, {
        hint: `Run \`poly ${this.id?.replaceAll(':', ' ') ?? ''} --help\` for usage and examples.`,
        exitCode: EXIT_USAGE,
      });
      reportError(usage);
      return undefined;
    }
    reportError(err);
    return undefined;
  }
}
