import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { type Mirror, startMirror } from '../../helpers/mirror/index.js';
import { makeProject, runPoly, type TempProject } from '../../helpers/templates-e2e.js';

/** A small user template: runtime node, an install step that leaves a mark, one substituted file. */
function writeUserTemplate(dir: string): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'template.toml'),
    [
      'name = "worker"',
      'description = "a user template"',
      'runtime = "node"',
      'versions = ">=20"',
      'pin = "22"',
      'run = "node src/{{name}}.js"',
      'test = "node --test"',
      'health = "/health"',
      `install = [["node", "-e", "require('fs').writeFileSync('installed.txt', process.cwd() + ' ' + process.version)"]]`,
      '',
      '[options.name]',
      'default = "my-worker"',
      '[options.port]',
      'default = 4000',
      '',
      '[[substitute]]',
      'files = ["src/*.js"]',
      'replace = { "my-worker" = "{{name}}", "4000" = "{{port}}" }',
      '',
      '[[rename]]',
      'from = "src/my-worker.js"',
      'to = "src/{{name}}.js"',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'src', 'my-worker.js'), "console.log('my-worker on', process.env.PORT || 4000);\n");
  writeFileSync(join(dir, '_gitignore'), 'node_modules/\n');
}

describe('poly new and poly templates (real CLI)', () => {
  let project: TempProject;
  let templateDir: string;
  let mirror: Mirror;

  before(async () => {
    // Node 22 from the local mirror (the official host is unreachable here).
    mirror = await startMirror({ runtimes: ['node'] });
    project = makeProject('# hand written\n[project]\nname = "cli"  # keep me\n');
    Object.assign(project.env, mirror.env);
    templateDir = join(project.root, '..', 'worker-template');
    writeUserTemplate(templateDir);
  });
  after(async () => {
    await mirror?.close();
    project.cleanup();
  });

  it('lists the six built-in templates with their runtimes', async () => {
    const result = await runPoly(['templates', '--json'], project.root, project.env);
    assert.equal(result.exitCode, 0, result.all);
    const list = JSON.parse(result.stdout) as { name: string; runtime: string; versions: string }[];
    assert.deepEqual(
      list.map((t) => `${t.name}:${t.runtime}`),
      ['actix-web:rust', 'axum:rust', 'express:node', 'fastapi:python', 'go-http:go', 'spring-boot:java'],
    );
    const text = await runPoly(['templates'], project.root, project.env);
    assert.match(text.stdout, /spring-boot\s+java >=17/);
  });

  it('scaffolds a user template from a folder, installs the pinned runtime, then the steps on it', async () => {
    const result = await runPoly(['new', templateDir, 'jobs', '--json'], project.root, project.env);
    assert.equal(result.exitCode, 0, result.all);
    const created = JSON.parse(result.stdout) as {
      dir: string;
      origin: string;
      port: number;
      pinned: string;
    };
    assert.equal(created.origin, 'path');
    assert.equal(created.pinned, '22');
    const dir = join(project.root, 'services', 'jobs');
    assert.equal(
      readFileSync(join(dir, 'src', 'jobs.js'), 'utf8'),
      "console.log('jobs on', process.env.PORT || 4000);\n",
    );
    assert.equal(
      readFileSync(join(dir, 'installed.txt'), 'utf8').replace(/\.\d+\.\d+$/, ''),
      `${dir} v22`,
      'the install step ran in the service folder, on the pinned node poly installed',
    );
    assert.ok(existsSync(join(dir, '.gitignore')));
    const manifest = readFileSync(join(project.root, 'poly.toml'), 'utf8');
    assert.equal(
      manifest,
      '# hand written\n[project]\nname = "cli"  # keep me\n\n[runtimes]\nnode = "22"\n\n' +
        '[services.jobs]\npath = "services/jobs"\nruntime = "node"\nrun = "node src/jobs.js"\nport = 4000\nhealth = "/health"\n' +
        '\n[services.jobs.tasks]\ntest = "node --test"\n',
    );
  });

  it('gives the next service a free port, honours --path and --no-install', async () => {
    const result = await runPoly(
      ['new', templateDir, 'jobs-two', '--path', 'apps/two', '--no-install', '--json'],
      project.root,
      project.env,
    );
    assert.equal(result.exitCode, 0, result.all);
    const created = JSON.parse(result.stdout) as { port: number; path: string; installed: string[][] };
    assert.equal(created.port, 4001);
    assert.equal(created.path, 'apps/two');
    assert.deepEqual(created.installed, []);
    assert.ok(!existsSync(join(project.root, 'apps', 'two', 'installed.txt')));
    assert.ok(existsSync(join(project.root, 'apps', 'two', 'src', 'jobs-two.js')));
  });

  it('refuses an existing service, a non-empty folder and a taken --port without touching anything', async () => {
    const before = readFileSync(join(project.root, 'poly.toml'), 'utf8');
    const busy = join(project.root, 'services', 'busy');
    mkdirSync(busy, { recursive: true });
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    const cases: [string[], RegExp, number][] = [
      [['new', templateDir, 'jobs', '--path', 'elsewhere'], /already has a service named "jobs"/, 2],
      [['new', templateDir, 'busy'], /is not empty/, 1],
      [['new', templateDir, 'fresh', '--port', '4000'], /port 4000 is already used by service "jobs"/, 2],
      [['new', templateDir, 'Bad_Name'], /cannot be a service name/, 2],
      [['new', 'axum', 'class'], /reserved word/, 2],
    ];
    for (const [args, message, code] of cases) {
      const result = await runPoly([...args, '--no-install'], project.root, project.env);
      assert.equal(result.exitCode, code, `${args.join(' ')}: ${result.all}`);
      assert.match(result.stderr, message);
    }
    assert.equal(readFileSync(join(project.root, 'poly.toml'), 'utf8'), before);
    assert.deepEqual(readdirSync(busy), ['keep.txt']);
    assert.ok(!existsSync(join(project.root, 'elsewhere')));
    assert.ok(!existsSync(join(project.root, 'services', 'fresh')));
  });

  it('clones a template from a git URL into poly cache', async () => {
    const repo = join(project.root, '..', 'worker.git');
    const work = join(project.root, '..', 'worker-work');
    const git = (args: string[], cwd: string) =>
      execa('git', args, {
        cwd,
        env: {
          ...project.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@t',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@t',
        },
      });
    writeUserTemplate(work);
    await git(['init', '-q'], work);
    await git(['add', '.'], work);
    await git(['commit', '-qm', 'template'], work);
    await git(['clone', '-q', '--bare', work, repo], project.root);

    const result = await runPoly(
      ['new', `file://${repo}`, 'from-git', '--no-install', '--json'],
      project.root,
      project.env,
    );
    assert.equal(result.exitCode, 0, result.all);
    assert.equal((JSON.parse(result.stdout) as { origin: string }).origin, 'git');
    assert.ok(existsSync(join(project.root, 'services', 'from-git', 'src', 'from-git.js')));
    assert.ok(
      !existsSync(join(project.root, 'services', 'from-git', '.git')),
      'the clone history is not copied',
    );
    const cache = join(project.env.POLY_HOME as string, 'cache', 'templates');
    assert.equal(readdirSync(cache).length, 1, 'one cached clone');

    const missing = await runPoly(
      ['new', `file://${repo}-nope`, 'x', '--no-install'],
      project.root,
      project.env,
    );
    assert.equal(missing.exitCode, 1);
    assert.match(missing.stderr, /git clone .* failed/);
  });
});

describe('poly new refusals before writing anything', () => {
  it('needs a poly.toml, and says to run poly init', async () => {
    const project = makeProject();
    try {
      const outside = join(project.root, '..', 'no-project');
      mkdirSync(outside);
      const result = await runPoly(['new', 'go-http', 'api'], outside, project.env);
      assert.equal(result.exitCode, 1);
      assert.match(result.stderr, /no poly\.toml/);
      assert.match(result.stderr, /poly init/);
      assert.deepEqual(readdirSync(outside), []);
    } finally {
      project.cleanup();
    }
  });

  it('says so when the project pins a runtime version outside the template range', async () => {
    const source = '[project]\nname = "old"\n\n[runtimes]\npython = "3.9"   # legacy\n';
    const project = makeProject(source);
    try {
      const result = await runPoly(['new', 'fastapi', 'api'], project.root, project.env);
      assert.equal(result.exitCode, 1, result.all);
      assert.match(result.stderr, /fastapi needs python >=3\.10, but poly\.toml pins python = "3\.9"/);
      assert.match(result.stderr, /Nothing was written/);
      assert.equal(readFileSync(join(project.root, 'poly.toml'), 'utf8'), source);
      assert.ok(!existsSync(join(project.root, 'services')));
    } finally {
      project.cleanup();
    }
  });

  it('accepts a pin inside the range and leaves it as it is', async () => {
    const project = makeProject('[project]\nname = "ok"\n\n[runtimes]\ngo = "1.23"\n');
    try {
      const result = await runPoly(
        ['new', 'go-http', 'api', '--no-install', '--json'],
        project.root,
        project.env,
      );
      assert.equal(result.exitCode, 0, result.all);
      assert.equal((JSON.parse(result.stdout) as { pinned?: string }).pinned, undefined);
      assert.match(
        readFileSync(join(project.root, 'poly.toml'), 'utf8'),
        /go = "1\.23"\n\n\[services\.api\]/,
      );
    } finally {
      project.cleanup();
    }
  });
});
