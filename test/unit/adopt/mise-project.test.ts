import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseMiseProject } from '../../../src/core/adopt/mise-project.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { planInit, selectEverything, writeInit } from '../../../src/services/new/init.js';
import { runPoly, tempHome } from '../../helpers/poly-cli.js';
import { writeTree } from './repo-tree.js';

const MISE = `[env]
NODE_ENV = "development"
PRICE = "cost $5"
BIN = "{{config_root}}/bin"
_.file = ".env"

[tasks]
hello = "echo hello"

[tasks.build]
description = "Build it"
run = "echo built > out.txt"
sources = ["src/**"]
outputs = ["out.txt"]
dir = "{{config_root}}"

[tasks."lint:js"]
run = ["echo lint one", "echo lint two"]
alias = "l"

[tasks.release]
run = "echo {{arg(name='version')}}"

[tasks.test]
run = "echo test $PRICE"
depends = ["build", "lint:js", "release"]
env = { CI = "1" }
`;

describe("a mise.toml's [env] and [tasks]", () => {
  const home = tempHome();
  after(home.cleanup);

  it('become [env] and [tasks] that mean what they meant to mise, and the rest is said', () => {
    const { env, tasks, notes } = parseMiseProject(MISE, 'mise.toml');
    // mise keeps "$5" literal; in poly.toml $ interpolates, so it is written $$.
    assert.deepEqual(env, { NODE_ENV: 'development', PRICE: 'cost $$5' });
    assert.deepEqual(tasks, [
      { name: 'hello', source: 'mise.toml', run: 'echo hello' },
      {
        name: 'build',
        source: 'mise.toml',
        run: 'echo built > out.txt',
        description: 'Build it',
        sources: ['src/**'],
        outputs: ['out.txt'],
      },
      { name: 'lint-js', source: 'mise.toml', run: ['echo lint one', 'echo lint two'] },
      {
        name: 'test',
        source: 'mise.toml',
        run: 'echo test $PRICE',
        depends: ['build', 'lint-js'],
        env: { CI: '1' },
      },
    ]);
    const said = notes.map((n) => n.message).join('\n');
    for (const expected of [
      /^env\.BIN: uses a mise template/m,
      /^env\._ \(file\): mise directives; left out/m,
      /^tasks\.lint:js: alias: poly tasks have no equivalent; left out$/m,
      /^tasks\.lint:js: named lint-js/m,
      /^tasks\.release: its run uses a mise template; left out/m,
      /^tasks\.test: depends release: not a task poly\.toml has; left out$/m,
    ])
      assert.match(said, expected);
  });

  it('poly init writes them into a poly.toml that loads, and poly run runs the tasks as mise would', async () => {
    const dir = writeTree(join(home.dir, 'mise-repo'), { 'mise.toml': MISE });
    const init = await runPoly(['init', '--yes'], { cwd: dir, env: home.env });
    assert.equal(init.exitCode, 0, init.stderr);
    const report = init.stdout + init.stderr;
    assert.match(report, /^env +NODE_ENV, PRICE +\(from mise\.toml\)$/m);
    assert.match(report, /^task +test +echo test \$PRICE · after build, lint-js +\(from mise\.toml\)$/m);
    const text = readFileSync(join(dir, 'poly.toml'), 'utf8');
    const m = parseManifest(text, join(dir, 'poly.toml'));
    assert.deepEqual(Object.keys(m.tasks ?? {}).sort(), ['build', 'hello', 'lint-js', 'test']);
    const run = await runPoly(['run', 'test'], { cwd: dir, env: home.env });
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    assert.match(run.stdout + run.stderr, /test cost \$5/);
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'built\n');
  });

  it('--merge adds only what poly.toml lacks and keeps what it has byte for byte', async () => {
    const dir = writeTree(join(home.dir, 'mise-merge'), { 'mise.toml': MISE });
    const before =
      '[project]\nname = "shop"\n\n[env]\nNODE_ENV = "test"  # ours\n\n[tasks.build]\nrun = "make"\n';
    writeFileSync(join(dir, 'poly.toml'), before);
    const plan = await planInit(dir, { merge: true });
    const result = writeInit(plan, selectEverything(plan));
    const after = readFileSync(join(dir, 'poly.toml'), 'utf8');
    assert.ok(after.includes('NODE_ENV = "test"  # ours'), after);
    assert.ok(after.includes('[tasks.build]\nrun = "make"\n'), after);
    assert.deepEqual(Object.keys(result.env?.values ?? {}), ['PRICE']);
    assert.deepEqual(
      result.tasks.map((t) => t.name),
      ['hello', 'lint-js', 'test'],
    );
    const m = parseManifest(after, join(dir, 'poly.toml'));
    assert.equal(m.env.PRICE, 'cost $$5');
    assert.deepEqual(Object.keys(m.tasks ?? {}).sort(), ['build', 'hello', 'lint-js', 'test']);
    const said = result.notes.map((n) => n.message).join('\n');
    assert.match(said, /already sets NODE_ENV in \[env\]/);
    assert.match(said, /already has \[tasks\.build\]/);
  });
});
