import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import type { Host, PolyContext } from '../../core/context.js';

/**
 * `poly --help` and `poly help` without oclif. The build (scripts/build.mjs)
 * saves oclif's own rendering of the root help for a pipe (80 columns, no
 * colour) with the runtime part of the VERSION line left as RUNTIME_SLOT.
 * Served only where oclif would print exactly that text; a terminal (its width
 * and colours), OCLIF_COLUMNS or FORCE_COLOR, or a missing file, go to oclif.
 */
export const RUNTIME_SLOT = '{{platform}}';

export function rootHelpFile(): URL {
  return new URL('../root-help.txt', import.meta.url);
}

export async function fastHelp(argv: string[], ctx: PolyContext): Promise<boolean> {
  if (argv.length > 0) return false;
  const env = ctx.env;
  if (process.stdout.isTTY || env.FORCE_COLOR !== undefined || env.OCLIF_COLUMNS !== undefined) return false;
  let text: string;
  try {
    text = readFileSync(rootHelpFile(), 'utf8');
  } catch {
    return false; // not built yet (the build itself renders it through oclif)
  }
  process.stdout.write(
    text.replace(RUNTIME_SLOT, `${oclifPlatform(ctx.host)}-${ctx.host.arch} node-${process.version}`),
  );
  return true;
}

/** The platform as oclif names it in its VERSION line: Linux under WSL is "wsl". */
function oclifPlatform(host: Host): string {
  return host.os === 'linux' && /microsoft/i.test(release()) ? 'wsl' : host.os;
}
