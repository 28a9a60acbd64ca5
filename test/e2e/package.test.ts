import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { REPO_ROOT, tempHome } from '../helpers/poly-cli.js';

/** What the published package may hold: what runs, the templates it scaffolds from, and the docs npm adds. */
const SHIPPED = [
  /^bin\//,
  /^dist\/(src|runtimes|packages|bundle)\//,
  /^templates\//,
  /^(README\.md|LICENSE)$/,
];
const SHIPPED_FILES = ['package.json', 'oclif.manifest.json', 'project.example.toml'];

describe('the npm package (npm pack, then npm install -g of the tarball)', () => {
  const home = tempHome('poly-pack-');
  after(home.cleanup);
  let files: string[] = [];
  let tarball = '';

  before(async () => {
    const packed = await execa('npm', ['pack', '--json', '--pack-destination', home.dir], { cwd: REPO_ROOT });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    assert.ok(info, 'npm pack reported its tarball');
    files = info.files.map((f) => f.path);
    tarball = join(home.dir, info.filename);
  });

  it('ships only what runs: no tests, benches, build info or TypeScript sources', () => {
    const stray = files.filter((f) => !SHIPPED_FILES.includes(f) && !SHIPPED.some((re) => re.test(f)));
    assert.deepEqual(stray, []);
    const sources = files.filter((f) => /\.tsx?$/.test(f) && !f.startsWith('templates/'));
    assert.deepEqual(sources, []);
    // dist/bundle/ is what the cold commands load: without it bin/run.cjs falls back to tsc's output.
    const required = ['bin/poly', 'bin/run.cjs', 'dist/src/commands/ls.js', 'dist/bundle/fast-path.cjs'];
    for (const needed of [...required, 'dist/bundle/ls.cjs', 'oclif.manifest.json']) {
      assert.ok(files.includes(needed), `${needed} is in the package`);
    }
    assert.ok(
      files.some((f) => f.startsWith('templates/axum/')),
      'the templates poly new scaffolds from are in the package',
    );
  });

  it('installs globally from the tarball and answers poly --version, ls, templates and --help', async () => {
    const prefix = join(home.dir, 'prefix');
    // --prefer-offline: the dependencies come from npm's cache, which `npm ci` filled.
    await execa(
      'npm',
      ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball],
      { cwd: home.dir, env: { npm_config_update_notifier: 'false' } },
    );
    assert.ok(readdirSync(join(prefix, 'bin')).includes('poly'), 'npm linked bin/poly');
    const poly = join(prefix, 'bin', 'poly');
    const env = { ...home.env, CI: '', POLY_DEBUG: '' };
    const version = await execa(poly, ['--version'], { cwd: home.dir, env, reject: false });
    assert.equal(version.exitCode, 0, version.stderr);
    assert.match(version.stdout, /^poly\/0\.\d+\.\d+ \w+-\w+ node-v\d+/);
    const ls = await execa(poly, ['ls'], { cwd: home.dir, env, reject: false });
    assert.equal(ls.exitCode, 0, ls.stderr);
    assert.equal(ls.stdout, 'No toolchains installed.');
    // Both answered from dist/bundle/, which finds its files (the templates, the saved help) from
    // where tsc's output would be: in the installed package as in the repo.
    const templates = await execa(poly, ['templates'], { cwd: home.dir, env, reject: false });
    assert.equal(templates.exitCode, 0, templates.stderr);
    assert.match(templates.stdout, /^axum +rust /m);
    const help = await execa(poly, ['--help'], { cwd: home.dir, env, reject: false });
    assert.equal(help.exitCode, 0, help.stderr);
    assert.match(
      help.stdout,
      /^VERSION\n {2}poly\/0\.\d+\.\d+ \w+-\w+ node-v[\d.]+\n\nUSAGE\n {2}\$ poly \[COMMAND\]/m,
    );
  });
});
