import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadedModules } from '../test/helpers/loaded-modules.js';
import { type Bench, type BenchRow, timeInterleaved } from './lib.js';

const poly = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url));

/** The cold commands of #16: each at most 1.5x `node -e 0`, measured in the same run. */
const COLD = [['ls'], ['ps'], ['env'], ['config', 'list'], ['templates'], ['--help']];

const bench: Bench = async () => {
  // A project with nothing to install, and a store and settings of its own.
  const dir = mkdtempSync(join(tmpdir(), 'poly-bench-startup-'));
  try {
    writeFileSync(join(dir, 'poly.toml'), '[project]\nname = "bench"\n');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      POLY_HOME: join(dir, 'home'),
      POLY_CONFIG_DIR: join(dir, 'config'),
    };
    // Node parses this CA file at every start, before any JS runs: on a machine that sets it, a
    // fixed cost (here ~75 ms on a 39 ms `node -e 0`) added to both sides hides poly's own share.
    delete env.NODE_EXTRA_CA_CERTS;
    const commands = [['-e', '0'], [poly, '--version'], ...COLD.map((args) => [poly, ...args])];
    const [node = 0, version = 0, ...cold] = timeInterleaved(
      commands.map((args) => ({ cmd: process.execPath, args })),
      { env, cwd: dir },
    );
    const baseline = { name: 'node -e 0', value: node };
    const rows: BenchRow[] = [
      {
        name: 'poly --version vs node -e 0',
        value: version / node,
        unit: 'x',
        baseline,
        target: '<= 2.0x',
        ok: version / node <= 2,
      },
    ];
    COLD.forEach((args, i) => {
      const ratio = (cold[i] ?? 0) / node;
      // A figure the machine's load does not move: what Node read and compiled for the command.
      const loaded = loadedModules(args, { cwd: dir, env });
      rows.push({
        name: `poly ${args.join(' ')} vs node -e 0`,
        value: ratio,
        unit: 'x',
        baseline,
        target: '<= 1.5x',
        ok: ratio <= 1.5,
        note: `loads ${loaded.files.length} files, ${(loaded.bytes / 1024).toFixed(0)} kB of JS`,
      });
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
export default bench;
