import type { PolyContext } from '../core/context.js';
import { errnoCode } from '../core/errno.js';
import { PolyError } from '../core/errors.js';
import { checkAllInstalled } from '../services/install/check.js';
import { readFlags } from './fast/args.js';
import { INSTALL_FLAGS } from './flag-table.js';

/**
 * `poly install` answered before oclif loads (it runs in every CI job and git
 * hook): the no-op from the install stamp without parsing anything, and a
 * plain install through the same service the oclif command calls. Flags it
 * does not know (--json, --help …) -> false, and oclif takes over.
 */
interface Parsed {
  cwd: string;
  targets: string[];
  frozen: boolean;
  offline: boolean;
  refresh: boolean;
}

export function parseInstallArgv(argv: string[]): Parsed | undefined {
  const flags = readFlags(argv, INSTALL_FLAGS, { stopAtPositional: false, physicalCwd: true });
  if (!flags || flags.rest.length > 0) return undefined;
  const targets = argv.filter(
    (a, i) => !a.startsWith('-') && argv[i - 1] !== '-C' && argv[i - 1] !== '--cwd',
  );
  // A bare runtime name, or anything else that is no runtime@spec: oclif's path reads it.
  if (targets.some((t) => !t.includes('@'))) return undefined;
  return {
    cwd: flags.cwd,
    targets,
    frozen: flags.booleans.has('frozen'),
    offline: flags.booleans.has('offline'),
    refresh: flags.booleans.has('refresh'),
  };
}

export async function installFastPath(argv: string[], ctx: PolyContext): Promise<boolean> {
  const parsed = parseInstallArgv(argv);
  if (!parsed) return false;
  if (parsed.targets.length === 0 && !parsed.refresh) {
    let done: ReturnType<typeof checkAllInstalled>;
    try {
      done = checkAllInstalled(parsed.cwd, ctx.layout);
    } catch (err) {
      // What stops the shortcut (an unreadable folder, a bad poly.toml) the full path reports properly.
      if (!(err instanceof PolyError) && !errnoCode(err)) throw err;
      done = undefined;
    }
    if (done) {
      if (!process.stderr.isTTY) {
        for (const r of done) process.stderr.write(`${r.runtime} ${r.version}: already installed\n`);
      }
      process.stdout.write(`All ${done.length} runtime(s) already installed.\n`);
      return true;
    }
  }
  const [{ install }, { renderInstall }, { installSummary }, { reportError }] = await Promise.all([
    import('../services/install/install.js'),
    import('../ui/render-install.js'),
    import('../ui/install-summary.js'),
    import('./render-error.js'),
  ]);
  const view = renderInstall(ctx.env, process.stderr);
  try {
    const result = await install({ ...parsed, ctx, onEvent: view.onEvent });
    await view.finish();
    process.stdout.write(`${installSummary(result)}\n`);
  } catch (err) {
    await view.finish();
    reportError(err);
  }
  return true;
}
