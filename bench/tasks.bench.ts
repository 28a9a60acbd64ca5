import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installMise } from './env.bench.js';
import { type Bench, type BenchRow, median } from './lib.js';

// The command users run: bin/poly serves a cached plan in sh, else starts Node (bin/run.cjs).
const poly = fileURLToPath(new URL('../../bin/poly', import.meta.url));
const RUNS = 15;

interface Command {
  cmd: string;
  args: string[];
}

/**
 * `poly run` on a trivial task (`node -e 0`) beside the same command run
 * directly and beside `mise run` of the same task, interleaved in one run so
 * all face the same machine load; and an up-to-date task (skipped by its
 * sources) beside `node -e 0` alone.
 */
const bench: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-tasks-bench-'));
  try {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'src', 'a.txt'), 'a');
    writeFileSync(
      join(project, 'poly.toml'),
      `[tasks.noop]\nrun = "node -e 0"\n\n[tasks.cached]\nrun = "node -e 0"\nsources = ["src/**"]\noutputs = ["src/a.txt"]\n`,
    );
    writeFileSync(join(project, 'mise.toml'), `[tasks.noop]\nrun = "node -e 0"\n`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      POLY_HOME: join(dir, 'home'),
      POLY_CONFIG_DIR: join(dir, 'config'),
      MISE_DATA_DIR: join(dir, 'mise'),
      MISE_CONFIG_DIR: join(dir, 'mise-config'),
      MISE_CACHE_DIR: join(dir, 'mise-cache'),
      MISE_STATE_DIR: join(dir, 'mise-state'),
      MISE_TRUSTED_CONFIG_PATHS: project,
      CI: '1',
    };
    const direct: Command = { cmd: process.execPath, args: ['-e', '0'] };
    const polyRun: Command = { cmd: poly, args: ['run', 'noop'] };
    const polyCached: Command = { cmd: poly, args: ['run', 'cached'] };
    if (spawnSync(polyCached.cmd, polyCached.args, { cwd: project, env }).status !== 0)
      throw new Error('poly run cached failed');
    const mise = installMise();
    const miseRun: Command | undefined = mise ? { cmd: mise, args: ['run', 'noop'] } : undefined;
    const [d, p, c, tMise] = interleaved([direct, polyRun, polyCached, miseRun], project, env);
    const [tDirect, tPoly, tCached] = [d ?? 0, p ?? 0, c ?? 0];
    const polyOverhead = tPoly - tDirect;
    const rows: BenchRow[] = [
      {
        name: 'poly run of a trivial task (node -e 0), overhead',
        value: polyOverhead,
        unit: 'ms',
        baseline: { name: 'node -e 0', value: tDirect },
        target: miseRun ? '<= 1.5x mise run overhead' : 'reported',
        ok: true,
      },
      {
        name: 'poly run of an up-to-date task',
        value: tCached / tDirect,
        unit: 'x',
        baseline: { name: 'node -e 0', value: tDirect },
        target: '< 2x node -e 0',
        ok: tCached / tDirect < 2,
      },
    ];
    if (tMise !== undefined) {
      const miseOverhead = tMise - tDirect;
      const ratio = polyOverhead / miseOverhead;
      rows[0] = { ...(rows[0] as BenchRow), ok: ratio <= 1.5, note: `${ratio.toFixed(2)}x mise's` };
      rows.push({
        name: 'mise: mise run of the same task, overhead',
        value: miseOverhead,
        unit: 'ms',
        baseline: { name: 'node -e 0', value: tDirect },
        target: 'reported',
        ok: true,
      });
    } else
      rows.push({ name: 'mise (not installable here)', value: 0, unit: 'ms', target: 'reported', ok: true });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * Every command starts as from a shell at a terminal: INT, TERM and HUP at their defaults
 * (this bench's own parent may have them ignored, and sh cannot trap an ignored signal, so
 * bin/poly would leave the run to Node). The same wrapper for all, so it cancels out.
 */
function asFromATerminal(c: Command): Command {
  const ok = spawnSync('env', ['--default-signal=INT', 'true']).status === 0;
  return ok ? { cmd: 'env', args: ['--default-signal=INT,TERM,HUP', c.cmd, ...c.args] } : c;
}

/** Median wall time of each command, run in turn round after round (undefined ones skipped). */
function interleaved(
  commands: (Command | undefined)[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): (number | undefined)[] {
  const samples = commands.map(() => [] as number[]);
  for (let round = 0; round < RUNS + 2; round++) {
    commands.forEach((c, i) => {
      if (!c) return;
      const { cmd, args } = asFromATerminal(c);
      const start = process.hrtime.bigint();
      const r = spawnSync(cmd, args, { cwd, env, stdio: 'ignore' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`${c.cmd} ${c.args.join(' ')} exited ${r.status}`);
      if (round >= 2) samples[i]?.push(ms);
    });
  }
  return commands.map((c, i) => (c ? median(samples[i] ?? []) : undefined));
}

export default bench;
