// The shell side of the build. The shell is written in real files (src/core/env/shell/): they
// are copied beside the compiled code, where the hooks and shims are assembled from them at
// write time, and bin/poly's generated part (between its marker lines) is rewritten from them
// and from the store layout, so the walk-up, the freshness test and the store paths are
// written once. Runs after tsc (it reads the compiled layout).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, relative } from 'node:path';

const SOURCES = 'src/core/env/shell';
const BIN = 'bin/poly';
const BEGIN = '# >>> src/core/env/shell/locate.sh, read-cache.sh: edit those, not these lines';
const END = '# <<< end of the generated part';

export function copyShellSources() {
  cpSync(SOURCES, 'dist/src/core/env/shell', { recursive: true });
}

/** bin/poly as it must be: its own lines, with the generated part rendered again. */
export async function binPolyText() {
  const [{ storeLayout }, { HOOK_PROTOCOL }, { shellSource }] = await Promise.all([
    import('../dist/src/core/store/layout.js'),
    import('../dist/src/core/env/render.js'),
    import('../dist/src/core/env/shell-sources.js'),
  ]);
  // Probe the layout with stand-in roots: what lies below POLY_HOME and the config dir, and
  // the XDG defaults, become sh expressions over the same variables.
  const probe = storeLayout({ POLY_HOME: '/H', POLY_CONFIG_DIR: '/G' });
  const xdg = storeLayout({ XDG_DATA_HOME: '/X', XDG_CONFIG_HOME: '/Y' });
  const plain = storeLayout({});
  const below = (root, path) => relative(root, path);
  const dataDefault = dirname(below(homedir(), plain.home));
  const configDefault = dirname(below(homedir(), plain.configDir));
  const globalRoot = below('/G', dirname(probe.globalManifest));
  const lines = [
    `__poly_h=\${POLY_HOME:-\${XDG_DATA_HOME:-$HOME/${dataDefault}}/${below('/X', xdg.home)}}`,
    `__poly_i=$__poly_h/${below('/H', probe.installs)}`,
    `__poly_g=\${POLY_CONFIG_DIR:-\${XDG_CONFIG_HOME:-$HOME/${configDefault}}/${below('/Y', xdg.configDir)}}${globalRoot ? `/${globalRoot}` : ''}`,
    `__poly_gc=$__poly_h/${below('/H', probe.globalEnvCache.sh)} __poly_protocol=${HOOK_PROTOCOL}`,
    shellSource('locate.sh').trimEnd(),
    shellSource('read-cache.sh').trimEnd(),
  ];
  const current = readFileSync(BIN, 'utf8');
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${BIN}: the generated part's marker lines are missing`);
  return `${current.slice(0, start + BEGIN.length)}\n${lines.join('\n')}\n${current.slice(end)}`;
}

export async function writeBinPoly() {
  const text = await binPolyText();
  if (text !== readFileSync(BIN, 'utf8')) writeFileSync(BIN, text);
}
