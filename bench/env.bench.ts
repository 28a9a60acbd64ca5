import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storeLayout } from '../src/core/store/layout.js';
import { refreshShims } from '../src/services/install/shims.js';
import { seedSystemInstalls } from '../test/helpers/seed-installs.js';
import { type Bench, type BenchRow, median } from './lib.js';

const poly = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url));
const polySh = fileURLToPath(new URL('../../bin/poly', import.meta.url));
const PROMPTS = 1000;

/**
 * The environment's hot paths, with mise (the strongest peer) measured beside
 * them in the same run when npm can install it: the steady-state prompt hook,
 * `exec -- node -e 0` and a shim, each against the same work without the tool.
 */
const bench: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-env-bench-'));
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      POLY_HOME: join(dir, 'home'),
      POLY_CONFIG_DIR: join(dir, 'config'),
    };
    delete env.POLY_SHELL_HOOK;
    const layout = storeLayout(env);
    const seeded = seedSystemInstalls(layout.installs);
    if (!seeded.node) throw new Error('no /usr/bin/node to seed');
    refreshShims(layout, { os: process.platform, arch: process.arch });
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'poly.toml'), `[runtimes]\nnode = "${seeded.node}"\n`);
    spawnSync(process.execPath, [poly, 'hook-env', 'bash'], { cwd: project, env }); // warm the cache

    const rows: BenchRow[] = [];
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      const hook = join(dir, `hook.${shell}`);
      writeFileSync(
        hook,
        spawnSync(process.execPath, [poly, 'activate', shell], { env, encoding: 'utf8' }).stdout,
      );
      const ms = promptCost(shell, hook, project, env, '__poly_hook', PROMPTS);
      rows.push({
        name: `prompt hook, steady state (${shell}), per prompt`,
        value: ms,
        unit: 'ms',
        target: '< 1 ms',
        ok: ms < 1,
        note: `${PROMPTS} prompts with vs without`,
      });
    }

    const nodeCmd = { cmd: '/usr/bin/node', args: ['-e', '0'], cwd: project, env };
    const [node, exec] = timePair(nodeCmd, {
      ...nodeCmd,
      // bin/poly is the `poly` users run: with a fresh cache it execs without starting Node.
      cmd: polySh,
      args: ['exec', '--', 'node', '-e', '0'],
    });
    rows.push({
      name: 'poly exec -- node -e 0, overhead',
      value: exec - node,
      unit: 'ms',
      baseline: { name: 'node -e 0', value: node },
      target: '<= 60 ms',
      ok: exec - node <= 60,
      // Most of it is starting poly's own Node; in those units the figure holds on a busy machine too.
      note: `= ${((exec - node) / node).toFixed(2)}x a node start`,
    });
    const [nodeAgain, shim] = timePair(nodeCmd, { ...nodeCmd, cmd: join(layout.shims, 'node') });
    rows.push({
      name: 'shim node -e 0, overhead',
      value: shim - nodeAgain,
      unit: 'ms',
      baseline: { name: 'node -e 0', value: nodeAgain },
      target: '<= 10 ms',
      ok: shim - nodeAgain <= 10,
    });
    rows.push(...miseRows(dir, seeded.node));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
export default bench;

type Cmd = { cmd: string; args: string[]; cwd: string; env: NodeJS.ProcessEnv };

/**
 * Medians of two commands run alternately, so that load from other processes
 * on a shared machine falls on both alike (a figure is a difference of two).
 */
function timePair(a: Cmd, b: Cmd, runs = 15, warmup = 2): [number, number] {
  const once = (c: Cmd) => {
    const start = process.hrtime.bigint();
    const r = spawnSync(c.cmd, c.args, { cwd: c.cwd, env: c.env, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${c.cmd} ${c.args.join(' ')} exited ${r.status}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const ta = once(a);
    const tb = once(b);
    if (i >= warmup) {
      sa.push(ta);
      sb.push(tb);
    }
  }
  return [median(sa), median(sb)];
}

/** Per-prompt cost of a hook function: N calls against N no-ops, in one shell each, median of runs. */
function promptCost(
  shell: 'bash' | 'zsh' | 'fish',
  hookFile: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  hookFn: string,
  prompts: number,
  runs = 7,
): number {
  const script = (body: string) => {
    if (shell === 'fish')
      return `source '${hookFile}'; cd '${cwd}'; ${hookFn}; for i in (seq ${prompts}); ${body}; end`;
    const loop =
      shell === 'zsh'
        ? `repeat ${prompts} do ${body}; done`
        : `for ((i=0;i<${prompts};i++)); do ${body}; done`;
    return `source '${hookFile}'; cd '${cwd}'; ${hookFn}; ${loop}`;
  };
  const args =
    shell === 'bash'
      ? ['--norc', '--noprofile', '-c']
      : shell === 'zsh'
        ? ['-f', '-c']
        : ['--no-config', '-c'];
  const [without, withHook] = timePair(
    { cmd: shell, args: [...args, script(':')], cwd, env },
    { cmd: shell, args: [...args, script(hookFn)], cwd, env },
    runs,
    1,
  );
  return Math.max(0, withHook - without) / prompts;
}

/**
 * mise from the npm registry (@jdxcode/mise; its platform package directly, as
 * its preinstall script would fetch it), cached under the test cache, given the
 * same node through a symlinked install. Rows say why when it cannot be had.
 */
function miseRows(dir: string, nodeVersion: string): BenchRow[] {
  const mise = installMise();
  if (!mise)
    return [{ name: 'mise (not installable here)', value: 0, unit: 'ms', target: 'reported', ok: true }];
  const data = join(dir, 'mise');
  mkdirSync(join(data, 'installs', 'node', nodeVersion, 'bin'), { recursive: true });
  symlinkSync('/usr/bin/node', join(data, 'installs', 'node', nodeVersion, 'bin', 'node'));
  const project = join(dir, 'mise-project');
  mkdirSync(project);
  writeFileSync(join(project, 'mise.toml'), `[tools]\nnode = "${nodeVersion}"\n`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MISE_DATA_DIR: data,
    MISE_CONFIG_DIR: join(dir, 'mise-config'),
    MISE_CACHE_DIR: join(dir, 'mise-cache'),
    MISE_STATE_DIR: join(dir, 'mise-state'),
    MISE_TRUSTED_CONFIG_PATHS: project,
    MISE_OFFLINE: '1',
  };
  spawnSync(mise, ['reshim'], { env, cwd: project });
  const hook = join(dir, 'mise-hook.bash');
  writeFileSync(hook, spawnSync(mise, ['activate', 'bash'], { env, encoding: 'utf8' }).stdout);
  const prompts = 100; // mise's hook starts a process per prompt: fewer prompts, same per-prompt figure
  const hookMs = promptCost('bash', hook, project, env, '_mise_hook', prompts, 5);
  const nodeCmd = { cmd: '/usr/bin/node', args: ['-e', '0'], cwd: project, env };
  const [node, exec] = timePair(nodeCmd, { ...nodeCmd, cmd: mise, args: ['exec', '--', 'node', '-e', '0'] });
  const [nodeAgain, shim] = timePair(nodeCmd, { ...nodeCmd, cmd: join(data, 'shims', 'node') });
  return [
    {
      name: 'mise: prompt hook, steady state (bash), per prompt',
      value: hookMs,
      unit: 'ms',
      target: 'reported',
      ok: true,
    },
    {
      name: 'mise: mise exec -- node -e 0, overhead',
      value: exec - node,
      unit: 'ms',
      baseline: { name: 'node -e 0', value: node },
      target: 'reported',
      ok: true,
    },
    {
      name: 'mise: shim node -e 0, overhead',
      value: shim - nodeAgain,
      unit: 'ms',
      baseline: { name: 'node -e 0', value: nodeAgain },
      target: 'reported',
      ok: true,
    },
  ];
}

export function installMise(): string | undefined {
  const cache = join(process.env.POLY_TEST_CACHE ?? join(homedir(), '.cache', 'poly-test'), 'env-mise');
  const platformPkg = `@jdxcode/mise-${process.platform}-${process.arch}`;
  const bin = join(cache, 'node_modules', ...platformPkg.split('/'), 'bin', 'mise');
  if (existsSync(bin)) return bin;
  mkdirSync(cache, { recursive: true });
  const npm = (args: string[]) =>
    spawnSync('npm', [...args, '--prefix', cache, '--no-audit', '--no-fund'], {
      cwd: cache,
      encoding: 'utf8',
    });
  if (npm(['install', '@jdxcode/mise']).status !== 0) return undefined;
  const version = spawnSync('npm', ['view', '@jdxcode/mise', 'version'], { encoding: 'utf8' }).stdout.trim();
  if (!existsSync(bin) && version) npm(['install', '--no-save', `${platformPkg}@${version}`]);
  return existsSync(bin) ? bin : undefined;
}
