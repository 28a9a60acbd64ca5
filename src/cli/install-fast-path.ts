import { checkAllInstalled } from '../services/install-check.js';

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
  const p: Parsed = { cwd: process.cwd(), targets: [], frozen: false, offline: false, refresh: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--frozen') p.frozen = true;
    else if (a === '--offline') p.offline = true;
    else if (a === '--refresh') p.refresh = true;
    else if ((a === '-C' || a === '--cwd') && argv[i + 1]) p.cwd = argv[++i] as string;
    else if (a.startsWith('--cwd=')) p.cwd = a.slice(6);
    else if (!a.startsWith('-') && a.includes('@')) p.targets.push(a);
    else return undefined;
  }
  return p;
}

export async function installFastPath(argv: string[]): Promise<boolean> {
  const parsed = parseInstallArgv(argv);
  if (!parsed) return false;
  if (parsed.targets.length === 0 && !parsed.refresh) {
    let done: ReturnType<typeof checkAllInstalled>;
    try {
      done = checkAllInstalled(parsed.cwd);
    } catch {
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
    import('../services/install.js'),
    import('../ui/render-install.js'),
    import('../ui/install-summary.js'),
    import('./render-error.js'),
  ]);
  const view = renderInstall(process.stderr);
  try {
    const result = await install({ ...parsed, onEvent: view.onEvent });
    await view.finish();
    process.stdout.write(`${installSummary(result)}\n`);
  } catch (err) {
    await view.finish();
    reportError(err);
  }
  return true;
}
