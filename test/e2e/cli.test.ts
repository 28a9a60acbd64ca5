import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT, runPoly, tempHome } from '../helpers/poly-cli.js';

interface ManifestCommand {
  id: string;
  summary?: string;
  description?: string;
  examples?: string[];
  flags: Record<string, { char?: string }>;
}

describe('the poly CLI (real process)', () => {
  const home = tempHome();
  after(home.cleanup);
  const env = home.env;
  const project = join(home.dir, 'project');
  mkdirSync(join(project, 'services', 'api'), { recursive: true });
  const original = '# shop\n[runtimes]\nnode = "22"   # keep LTS\npython = "3.12"\n';
  writeFileSync(join(project, 'poly.toml'), original);

  it('every command has a summary, a description, an example and -C/--cwd', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, ManifestCommand>;
    };
    const commands = Object.values(manifest.commands);
    assert.ok(commands.length >= 6, 'init, use, help and config get|set|unset|list at least');
    for (const cmd of commands) {
      assert.ok(cmd.summary, `${cmd.id}: summary`);
      assert.ok(cmd.description, `${cmd.id}: description`);
      assert.ok(cmd.examples?.length, `${cmd.id}: examples`);
      assert.equal(cmd.flags.cwd?.char, 'C', `${cmd.id}: -C`);
    }
  });

  it('poly help <command> shows that command, topics separated by spaces', async () => {
    const use = await runPoly(['help', 'use'], { cwd: project, env });
    assert.equal(use.exitCode, 0);
    assert.match(use.stdout, /Pin a runtime version in poly\.toml/);
    assert.match(use.stdout, /EXAMPLES[\s\S]*poly use java@temurin-21/);
    const topic = await runPoly(['config'], { cwd: project, env });
    assert.equal(topic.exitCode, 0);
    assert.match(topic.stdout, /config set +Store a user setting\./);
    const set = await runPoly(['help', 'config', 'set'], { cwd: project, env });
    assert.equal(set.exitCode, 0);
    assert.match(set.stdout, /\$ poly config set KEY VALUE/);
  });

  it('usage errors exit 2 with a hint and no stack trace', async () => {
    for (const args of [
      ['use'],
      ['use', '--bogus', 'node@20'],
      ['instal'],
      ['use', 'nod@20'],
      ['help', 'confg'],
    ]) {
      const r = await runPoly(args, { cwd: project, env });
      assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^error: .*\n(.*\n)*hint: /m, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at |this is a bug/, args.join(' '));
    }
    const typo = await runPoly(['help', 'confg'], { cwd: project, env });
    assert.match(typo.stderr, /Did you mean `poly help config`\?/);
    const command = await runPoly(['ues', 'node@20'], { cwd: project, env });
    assert.equal(command.stderr, 'error: unknown command "ues"\nhint: Did you mean `poly use`?');
  });

  it('other failures exit 1', async () => {
    const r = await runPoly(['use', 'node@20'], { cwd: home.dir, env });
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /^error: no poly\.toml in .* or any parent folder\nhint: Run `poly init`/);
  });

  it('a broken poly.toml is reported with file:line:column, exit 2, no stack', async () => {
    const broken = join(home.dir, 'broken');
    mkdirSync(broken);
    copyFileSync(
      join(REPO_ROOT, 'test', 'fixtures', 'manifests', 'broken', 'depends-on-cycle.toml'),
      join(broken, 'poly.toml'),
    );
    const r = await runPoly(['use', 'node@20'], { cwd: broken, env });
    assert.equal(r.exitCode, 2);
    assert.equal(
      r.stderr,
      'error: poly.toml:3:1: depends_on cycle: api -> worker -> api\n' +
        'hint: A service cannot wait for itself; remove one of these dependencies.',
    );
  });

  it('a binary poly.toml is refused as not text, exit 2, no stack', async () => {
    const binary = join(home.dir, 'binary');
    mkdirSync(binary);
    copyFileSync(
      join(REPO_ROOT, 'test', 'fixtures', 'manifests', 'broken', 'binary-nul-bytes.toml'),
      join(binary, 'poly.toml'),
    );
    const r = await runPoly(['use', 'node@20'], { cwd: binary, env });
    assert.equal(r.exitCode, 2);
    assert.match(r.stderr, /^error: poly\.toml:3:1: not a text file \(it contains NUL bytes\)\nhint: /);
  });

  it('-C/--cwd acts on another folder, walking up to its poly.toml', async () => {
    const r = await runPoly(['use', '--no-install', '-C', join(project, 'services', 'api'), 'node@20'], {
      cwd: home.dir,
      env,
    });
    assert.equal(r.exitCode, 0, r.stderr);
    const text = readFileSync(join(project, 'poly.toml'), 'utf8');
    assert.equal(text, original.replace('node = "22"', 'node = "20"'));
    const long = await runPoly(['use', '--no-install', '--cwd', project, 'node@22'], { cwd: home.dir, env });
    assert.equal(long.exitCode, 0, long.stderr);
    assert.equal(readFileSync(join(project, 'poly.toml'), 'utf8'), original);
  });

  it('NO_COLOR turns colour off even where colour was forced', async () => {
    const forced = await runPoly(['help', 'use'], {
      cwd: project,
      env: { ...env, NO_COLOR: '', FORCE_COLOR: '1' },
    });
    assert.match(forced.stdout, /\x1b\[/, 'colour is on when forced: the check below can fail');
    const plain = await runPoly(['help', 'use'], {
      cwd: project,
      env: { ...env, NO_COLOR: '1', FORCE_COLOR: '1' },
    });
    assert.doesNotMatch(plain.stdout, /\x1b\[/);
  });

  it('config set, get and list --json round-trip through POLY_CONFIG_DIR', async () => {
    const unset = await runPoly(['config', 'get', 'mode'], { cwd: project, env });
    assert.deepEqual(
      [unset.exitCode, unset.stdout, unset.stderr],
      [1, '', 'mode is not set (poly uses its default)'],
    );
    assert.equal((await runPoly(['config', 'set', 'mode', 'container'], { cwd: project, env })).exitCode, 0);
    const get = await runPoly(['config', 'get', 'mode'], { cwd: project, env });
    assert.equal(get.stdout, 'container');
    const list = await runPoly(['config', 'list', '--json'], { cwd: project, env });
    const parsed = JSON.parse(list.stdout) as {
      file: string;
      settings: { key: string; value: string | null }[];
    };
    assert.equal(parsed.file, join(env.POLY_CONFIG_DIR!, 'config.json'));
    assert.equal(parsed.settings.find((s) => s.key === 'mode')?.value, 'container');
    const bad = await runPoly(['config', 'set', 'mirror.nod', 'https://x.test'], { cwd: project, env });
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /known: mirror\.node, .*Did you mean "mirror\.node"\?/);
  });
});
