import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { install } from '../src/services/install/install.js';
import { testContext } from '../test/helpers/context.js';
import { mountAllRuntimes } from '../test/helpers/install-fixtures.js';
import { startTinyDistServer } from '../test/helpers/tiny-dist-server.js';
import { type Bench, type BenchRow, median, timeCommand } from './lib.js';

const poly = fileURLToPath(new URL('../../bin/run.cjs', import.meta.url));
const ALL_FIVE =
  '[runtimes]\nnode = "22"\npython = "3.12"\ngo = "1.22"\njava = "temurin-21"\nrust = "stable"\n';

function tempSetup() {
  const root = mkdtempSync(join(tmpdir(), 'poly-bench-install-'));
  const project = join(root, 'project');
  mkdirSync(project);
  const env = { ...process.env, POLY_HOME: join(root, 'home'), POLY_CONFIG_DIR: join(root, 'config') };
  return { root, project, env };
}

/** Runs a command without blocking this process (the mirror serving it lives here). */
function runAsync(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; code: number | null; stderr: string }> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, code, stderr }));
  });
}

/** `poly install` with all five pinned runtimes installed: poly's own time over `node -e 0`. */
async function noopInstall(): Promise<BenchRow> {
  const t = tempSetup();
  const server = await startTinyDistServer();
  try {
    writeFileSync(join(t.project, 'poly.toml'), ALL_FIVE);
    await install({ cwd: t.project, ctx: testContext({ ...t.env, ...mountAllRuntimes(server) }) });
  } finally {
    await server.close();
  }
  try {
    // Interleaved, so both medians see the same load on a shared machine.
    const nodeRuns: number[] = [];
    const polyRuns: number[] = [];
    for (let i = 0; i < 21; i++) {
      nodeRuns.push(timeCommand(process.execPath, ['-e', '0'], { runs: 1, warmup: i === 0 ? 2 : 0 }));
      polyRuns.push(
        timeCommand(process.execPath, [poly, 'install'], {
          cwd: t.project,
          env: t.env,
          runs: 1,
          warmup: i === 0 ? 2 : 0,
        }),
      );
    }
    const node = median(nodeRuns);
    const noop = median(polyRuns);
    const own = noop - node;
    return {
      name: 'poly install, five runtimes already installed (own time)',
      value: own,
      unit: 'ms',
      baseline: { name: 'node -e 0', value: node },
      target: '< 150 ms over node -e 0',
      ok: own < 150,
    };
  } finally {
    rmSync(t.root, { recursive: true, force: true });
  }
}

interface MirrorModule {
  startMirror(o?: { runtimes?: string[] }): Promise<{
    env: Record<string, string>;
    versions: Record<string, string[]>;
    urls: { node: string };
    close(): Promise<void>;
  }>;
}

/**
 * Cold install of a real Node archive from the local test mirror, against the physical
 * baseline of the same bytes: `sha256sum` plus `tar -xzf` of the archive already on disk.
 */
async function coldInstall(): Promise<BenchRow> {
  const name = 'cold install of node from the local mirror vs sha256sum + tar -xzf';
  // POLY_BENCH_MIRROR: another build of the mirror module (e.g. before it is merged here).
  const mirrorPath = process.env.POLY_BENCH_MIRROR
    ? pathToFileURL(process.env.POLY_BENCH_MIRROR)
    : new URL('../test/helpers/mirror/index.js', import.meta.url);
  if (!existsSync(fileURLToPath(mirrorPath))) {
    return {
      name,
      value: 0,
      unit: 'x',
      target: '<= 1.3x',
      ok: true,
      note: 'skipped: test/helpers/mirror not merged yet',
    };
  }
  const { startMirror } = (await import(pathToFileURL(fileURLToPath(mirrorPath)).href)) as MirrorModule;
  const mirror = await startMirror({ runtimes: ['node'] });
  const t = tempSetup();
  try {
    const version = mirror.versions.node?.[0] ?? '';
    const archive = join(t.root, `node-v${version}-linux-x64.tar.gz`);
    const res = await fetch(`${mirror.urls.node}/v${version}/node-v${version}-linux-x64.tar.gz`);
    writeFileSync(archive, Buffer.from(await res.arrayBuffer()));
    writeFileSync(join(t.project, 'poly.toml'), `[runtimes]\nnode = "${version}"\n`);
    const env = { ...t.env, ...mirror.env };
    // Resolve once so the runs measure download + verify + unpack, as the baseline does.
    await runAsync([poly, 'install'], t.project, env);
    const polyRuns: number[] = [];
    const baseRuns: number[] = [];
    for (let i = 0; i < 5; i++) {
      rmSync(join(t.env.POLY_HOME, 'installs'), { recursive: true, force: true });
      const r = await runAsync([poly, 'install'], t.project, env);
      polyRuns.push(r.ms);
      if (r.code !== 0) throw new Error(`poly install exited ${r.code}: ${r.stderr}`);
      const out = join(t.root, `untar-${i}`);
      mkdirSync(out);
      const start = process.hrtime.bigint();
      spawnSync('sha256sum', [archive], { stdio: 'ignore' });
      spawnSync('tar', ['-xzf', archive, '-C', out], { stdio: 'ignore' });
      baseRuns.push(Number(process.hrtime.bigint() - start) / 1e6);
      rmSync(out, { recursive: true, force: true });
    }
    const ratio = median(polyRuns) / median(baseRuns);
    return {
      name,
      value: ratio,
      unit: 'x',
      baseline: { name: 'sha256sum + tar -xzf', value: median(baseRuns) },
      target: '<= 1.3x',
      ok: ratio <= 1.3,
      note: `poly ${median(polyRuns).toFixed(0)} ms`,
    };
  } finally {
    await mirror.close();
    rmSync(t.root, { recursive: true, force: true });
  }
}

const bench: Bench = async () => [await noopInstall(), await coldInstall()];
export default bench;
