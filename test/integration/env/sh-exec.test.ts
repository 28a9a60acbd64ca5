import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createEnvSandbox, type EnvSandbox } from '../../helpers/env-sandbox.js';

const POLY_SH = fileURLToPath(new URL('../../../../bin/poly', import.meta.url));

// bin/poly (the installed `poly` command) serves `poly exec` from a fresh
// environment cache without starting Node. To tell which path ran, the outer
// PATH starts with a fake `node` that leaves a marker: bin/poly's hand-over to
// bin/run.cjs starts `node` from PATH, the sh path never does.
describe('bin/poly: exec without Node when the cache is fresh', () => {
  let box: EnvSandbox;
  let project: string;
  let fakeBin: string;
  let marker: string;
  before(() => {
    box = createEnvSandbox();
    project = box.project('p', `[runtimes]\nnode = "${box.seeded.node}"\n[env]\nFROM_P = "yes"\n`);
    fakeBin = join(box.dir, 'fake-bin');
    marker = join(box.dir, 'node-started');
    mkdirSync(fakeBin);
    writeFileSync(join(fakeBin, 'node'), `#!/bin/sh\n: > '${marker}'\nexec /usr/bin/node "$@"\n`);
    chmodSync(join(fakeBin, 'node'), 0o755);
  });
  after(() => box.cleanup());

  const poly = (args: string[]) => {
    rmSync(marker, { force: true });
    const r = spawnSync(POLY_SH, args, {
      cwd: project,
      env: { ...box.env, PATH: `${fakeBin}:${box.env.PATH}` },
      encoding: 'utf8',
    });
    return { ...r, startedNode: existsSync(marker) };
  };

  it('hands over to Node while the cache is missing, then serves from the cache', () => {
    const first = poly(['exec', '--', 'sh', '-c', 'echo $FROM_P']);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout.trim(), 'yes');
    assert.ok(first.startedNode, 'no cache yet: poly itself ran');

    const second = poly(['exec', '--', 'node', '-p', 'process.version + " " + process.env.FROM_P']);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout.trim(), `v${box.seeded.node} yes`, 'the pinned node, not the fake one');
    assert.ok(!second.startedNode, 'fresh cache: no Node started by poly');
  });

  it('passes the exit code through and keeps arguments intact', () => {
    const r = poly(['exec', 'sh', '-c', 'printf "%s|" "$@"; exit 7', 'x', 'a b', '"q"']);
    assert.equal(r.status, 7);
    assert.equal(r.stdout, 'a b|"q"|');
    assert.ok(!r.startedNode);
  });

  it('goes back to Node when poly.toml changes, and for any exec flag', () => {
    const later = new Date(Date.now() + 5000);
    utimesSync(join(project, 'poly.toml'), later, later);
    const stale = poly(['exec', '--', 'sh', '-c', 'echo $FROM_P']);
    assert.equal(stale.stdout.trim(), 'yes');
    assert.ok(stale.startedNode, 'stale cache: poly itself ran');
    const flagged = poly(['exec', '--no-install', '--', 'sh', '-c', 'echo $FROM_P']);
    assert.equal(flagged.stdout.trim(), 'yes');
    assert.ok(flagged.startedNode, 'flags are parsed by poly itself');
    const other = poly(['--version']);
    assert.match(other.stdout, /^poly\//);
    assert.ok(other.startedNode);
  });

  it("runs poly on the user's node, never on a node from poly's installs first on PATH", () => {
    // Inside a project the pinned node's bin dir leads PATH, and it may be older than poly supports.
    const pinned = join(box.home, 'installs', 'node', '16.20.2', 'bin');
    mkdirSync(pinned, { recursive: true });
    writeFileSync(join(pinned, 'node'), '#!/bin/sh\necho "wrong node" >&2\nexit 3\n');
    chmodSync(join(pinned, 'node'), 0o755);
    const r = spawnSync(POLY_SH, ['--version'], {
      cwd: project,
      env: { ...box.env, PATH: `${pinned}:${fakeBin}:${box.env.PATH}` },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^poly\//);
    rmSync(join(box.home, 'installs', 'node', '16.20.2'), { recursive: true });
  });
});
