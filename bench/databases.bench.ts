import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unprivilegedPrefix } from '../src/core/databases/postgres-server.js';
import { postgresReady } from '../src/core/databases/postgres-wire.js';
import { startServices } from '../src/services/up.js';
import { startPostgresMirror } from '../test/helpers/mirror/postgres.js';
import { type Bench, type BenchRow, median } from './lib.js';

/**
 * `poly up` to a healthy, initialised PostgreSQL (`use = "postgres@16"`),
 * first run (empty data folder) and warm run (data kept), beside the same
 * binaries started by hand in the same run: initdb + `pg_ctl start -w` for
 * the first, `pg_ctl start -w` for the warm. Both wait until the server
 * accepts connections; the package is installed once beforehand (its
 * download and unpack is the install bench's business).
 */
async function polyUp(root: string): Promise<number> {
  const started = performance.now();
  const up = await startServices({ cwd: root, services: [] });
  const settled = await up.supervisor.settled();
  const took = performance.now() - started;
  await up.stop();
  if (!settled.ok) throw new Error(`db did not start: ${settled.status.message}`);
  return took;
}

function byHand(binDir: string, dataDir: string, port: number, init: boolean): number {
  const run = (tool: string, args: string[]) => {
    const [cmd, ...prefix] = [...unprivilegedPrefix(), join(binDir, tool)];
    execFileSync(cmd as string, [...prefix, ...args], { stdio: 'ignore' });
  };
  const started = performance.now();
  if (init) {
    writeFileSync(`${dataDir}.pw`, 'dev');
    run('initdb', [
      '-D',
      dataDir,
      '-U',
      'dev',
      `--pwfile=${dataDir}.pw`,
      '-A',
      'scram-sha-256',
      '--no-locale',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
  }
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`;
  run('pg_ctl', ['start', '-w', '-s', '-D', dataDir, '-l', `${dataDir}.log`, '-o', options]);
  const took = performance.now() - started;
  run('pg_ctl', ['stop', '-s', '-m', 'fast', '-D', dataDir]);
  return took;
}

const bench: Bench = async () => {
  const mirror = await startPostgresMirror();
  const dir = mkdtempSync(join(tmpdir(), 'poly-bench-db-'));
  const saved = { ...process.env };
  Object.assign(process.env, {
    POLY_HOME: join(dir, 'home'),
    POLY_CONFIG_DIR: join(dir, 'config'),
    ...mirror.env,
  });
  try {
    const root = join(dir, 'shop');
    mkdirSync(root);
    writeFileSync(
      join(root, 'poly.toml'),
      '[project]\nname = "shop"\n\n[services.db]\nuse = "postgres@16"\n',
    );
    // Installs the package (and initialises once) outside the figures.
    await polyUp(root);
    const binDir = join(dir, 'home', 'installs', 'postgres', '16.4.0', 'bin');
    const first: number[] = [];
    const firstByHand: number[] = [];
    const warm: number[] = [];
    const warmByHand: number[] = [];
    for (let i = 0; i < 3; i++) {
      rmSync(join(root, '.poly', 'data'), { recursive: true, force: true });
      first.push(await polyUp(root));
      const hand = join(dir, `hand-${i}`);
      const port = 20000 + Math.floor(Math.random() * 20000);
      firstByHand.push(byHand(binDir, hand, port, true));
    }
    for (let i = 0; i < 5; i++) {
      warm.push(await polyUp(root));
      const port = 20000 + Math.floor(Math.random() * 20000);
      warmByHand.push(byHand(binDir, join(dir, 'hand-0'), port, false));
      if (await postgresReady(port, 'dev', 'postgres', 200))
        throw new Error('pg_ctl stop left a server running');
    }
    const rows: BenchRow[] = [];
    const ratio = (a: number[], b: number[]) => median(a) / median(b);
    rows.push({
      name: 'poly up -> healthy initialised postgres, first run',
      value: ratio(first, firstByHand),
      unit: 'x',
      baseline: { name: 'initdb + pg_ctl start -w', value: median(firstByHand) },
      target: '<= 2.0x initdb + pg_ctl start (poly also creates the database)',
      ok: ratio(first, firstByHand) <= 2.0,
      note: `(poly ${median(first).toFixed(0)} ms)`,
    });
    rows.push({
      name: 'poly up -> healthy postgres, warm run',
      value: ratio(warm, warmByHand),
      unit: 'x',
      baseline: { name: 'pg_ctl start -w', value: median(warmByHand) },
      target: '<= 1.2x pg_ctl start',
      ok: ratio(warm, warmByHand) <= 1.2,
      note: `(poly ${median(warm).toFixed(0)} ms)`,
    });
    return rows;
  } finally {
    process.env = saved;
    await mirror.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
export default bench;
