import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Bench, type BenchRow, timeInterleaved } from './lib.js';

const poly = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

/** The cold commands of #16: each at most 1.5x `node -e 0`, measured in the same run. */
const COLD = [['ls'], ['ps'], ['env'], ['config', 'list'], ['templates'], ['--help']];

const bench: Bench = async () => {
  // A project with nothing to install, and a store and settings of its own.
  const dir = mkdtempSync(join(tmpdir(), 'poly-bench-startup-'));
  try {
    writeFileSync(join(dir, 'poly.toml'), '[project]\nname = "bench"\n');
    const env = { ...process.env, POLY_HOME: join(dir, 'home'), POLY_CONFIG_DIR: join(dir, 'config') };
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
      rows.push({
        name: `poly ${args.join(' ')} vs node -e 0`,
        value: ratio,
        unit: 'x',
        baseline,
        target: '<= 1.5x',
        ok: ratio <= 1.5,
      });
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
export default bench;
