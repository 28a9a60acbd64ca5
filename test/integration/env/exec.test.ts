import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createEnvSandbox, type EnvSandbox, POLY_BIN } from '../../helpers/env-sandbox.js';

describe('poly exec', () => {
  let box: EnvSandbox;
  let project: string;
  before(() => {
    box = createEnvSandbox();
    project = box.project(
      'app',
      `[runtimes]\nnode = "${box.seeded.node}"\n[env]\nGREETING = "it's \\"here\\""\n`,
    );
  });
  after(() => box.cleanup());

  const poly = (args: string[], input?: string) =>
    spawnSync(process.execPath, [POLY_BIN, ...args], { cwd: project, env: box.env, encoding: 'utf8', input });

  it("runs the pinned node with the project's [env], no shell in between", () => {
    const r = poly(['exec', '--', 'node', '-p', 'process.execPath + " " + process.env.GREETING']);
    assert.equal(r.status, 0, r.stderr);
    // The seeded node is a symlink to this machine's node; PATH lookup must go through poly's folder.
    const which = poly(['exec', '--', 'sh', '-c', 'command -v node']);
    assert.equal(which.stdout.trim(), `${box.installs}/node/${box.seeded.node}/bin/node`);
    assert.match(r.stdout, / it's "here"\n$/);
    const args = poly([
      'exec',
      'node',
      '-e',
      'console.log(JSON.stringify(process.argv.slice(1)))',
      'a b',
      '$HOME',
      '*',
    ]);
    assert.deepEqual(JSON.parse(args.stdout), ['a b', '$HOME', '*']);
  });

  it('passes the exit code through', () => {
    assert.equal(poly(['exec', '--', 'node', '-e', 'process.exit(42)']).status, 42);
    assert.equal(poly(['exec', '--', 'node', '-e', '0']).status, 0);
  });

  it('passes stdin through', () => {
    const r = poly(
      ['exec', '--', 'node', '-e', 'process.stdin.pipe(process.stdout)'],
      'line one\nline two\n',
    );
    assert.equal(r.stdout, 'line one\nline two\n');
  });

  it('exits 127 with a hint for an unknown command, and 2 without one', () => {
    const r = poly(['exec', '--', 'no-such-command-here']);
    assert.equal(r.status, 127);
    assert.match(r.stderr, /no-such-command-here: command not found/);
    assert.equal(poly(['exec']).status, 2);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`forwards ${signal} to the child and dies of it the same way`, { timeout: 20_000 }, async () => {
      const child = spawn(
        process.execPath,
        [
          POLY_BIN,
          'exec',
          '--',
          'node',
          '-e',
          `process.on('${signal}', () => { console.log('child got ${signal}'); process.exit(7); }); console.log('ready'); setInterval(() => {}, 1000);`,
        ],
        { cwd: project, env: box.env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.setEncoding('utf8');
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (d: string) => {
          out += d;
          if (out.includes('ready')) resolve();
        });
      });
      child.kill(signal);
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      assert.match(out, new RegExp(`child got ${signal}`));
      assert.equal(code, 7);
    });
  }

  it('dies of the signal that killed the child', () => {
    const r = poly(['exec', '--', 'node', '-e', "process.kill(process.pid, 'SIGTERM')"]);
    assert.equal(r.signal, 'SIGTERM');
  });

  it('installs a missing pinned runtime first (here: fails with a hint), and --no-install runs without it', () => {
    const missing = box.project('missing', '[runtimes]\nnode = "19.0.0"\n');
    // Nothing answers on this port: the install engine (once wired in) fails fast, without the network.
    const env = { ...box.env, POLY_NODE_MIRROR: 'http://127.0.0.1:9' };
    const r = spawnSync(process.execPath, [POLY_BIN, 'exec', '--', 'node', '-e', '0'], {
      cwd: missing,
      env,
      encoding: 'utf8',
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^error: .*/m);
    assert.match(r.stderr, /^hint: .+/m);
    const skip = spawnSync(process.execPath, [POLY_BIN, 'exec', '--no-install', '--', 'node', '-e', '0'], {
      cwd: missing,
      env,
      encoding: 'utf8',
    });
    assert.equal(skip.status, 0);
    assert.match(skip.stderr, /node@19\.0\.0 is not installed; run `poly install`/);
  });

  it('poly shell starts $SHELL with the environment and passes its exit code on', () => {
    const r = spawnSync(process.execPath, [POLY_BIN, 'shell'], {
      cwd: project,
      env: { ...box.env, SHELL: '/bin/sh' },
      encoding: 'utf8',
      input: 'command -v node; echo "$GREETING"; exit 3\n',
    });
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stdout, `${box.installs}/node/${box.seeded.node}/bin/node\nit's "here"\n`);
  });
});
