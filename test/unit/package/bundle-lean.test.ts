import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type LoadedModules, loadedModules } from '../../helpers/loaded-modules.js';
import { POLY_BIN, tempHome } from '../../helpers/poly-cli.js';

const BUNDLE = fileURLToPath(new URL('../../../bundle/', import.meta.url));

/** The packages a fast path may only load lazily (scripts/bundle.mjs's EXTERNAL). */
const HEAVY = [
  'ink',
  'react',
  'react/jsx-runtime',
  '@oclif/core',
  'dockerode',
  'tar',
  '@peculiar/x509',
  'pg',
  'execa',
];

describe('the fast-path bundle', () => {
  it('requires no heavy package: an Ink view stays a lazy import of its own file', () => {
    // Given the bundles `npm run build` wrote
    const files = readdirSync(BUNDLE).filter((f) => f.endsWith('.cjs'));
    assert.ok(files.includes('run.cjs'), 'dist/bundle/run.cjs exists (npm run build)');
    for (const file of files) {
      const text = readFileSync(`${BUNDLE}${file}`, 'utf8');
      // Then none of Ink, React, oclif, dockerode, tar, x509, pg or execa is require()d in it (on
      // Node 20 require() of an ES module fails; at the top it would load at every start)
      for (const pkg of HEAVY) assert.ok(!text.includes(`require("${pkg}")`), `${file} requires ${pkg}`);
    }
    // And poly run's terminal view is still reachable, lazily, from run's bundle (each import() of
    // a bundle is the loader's __polyImport: scripts/bundle.mjs)
    const run = files.filter((f) => f === 'run.cjs');
    assert.ok(
      run.some((f) =>
        /__polyImport\("\.\.\/src\/ui\/run-task-view\.js"\)/.test(readFileSync(`${BUNDLE}${f}`, 'utf8')),
      ),
      'a run bundle file imports ../src/ui/run-task-view.js lazily',
    );
  });
});

/**
 * What each cold command of #16 loads on its common path, seen in a real run with Node's module
 * hooks: a project with nothing installed and nothing running, run twice (the second run is
 * measured: the first may write caches). Each must be served from its bundle, never from tsc's
 * output or oclif, and must not load what only another path needs.
 */
const NEVER = [
  /^node_modules\/(@oclif|ink|react|dockerode|tar|pg|execa)\//,
  /^dist\/src\//,
  /^src\/core\/docker\/(client|cleanup)\.ts$/,
];
/** Node's own modules none of them imports at its top (node-crypto.ts says why). */
const HEAVY_BUILTINS = [
  'node:crypto',
  'node:child_process',
  'node:http',
  'node:https',
  'node:zlib',
  // A socket only where a supervisor's socket file is (core/ipc/line-protocol.ts).
  'node:net',
];
const COLD: { args: string[]; entry: string; mustNotLoad: RegExp[] }[] = [
  {
    args: ['ls'],
    entry: 'ls',
    // Listing toolchains never talks to a supervisor. (Its bundle is one file: split, it would
    // read about as much in six, so the little of the installer it may call stays inlined.)
    mustNotLoad: [/^src\/core\/supervisor\/control\.ts$/, /^src\/core\/runtimes\/install-toolchain\.ts$/],
  },
  {
    args: ['ps'],
    entry: 'ps',
    // Nothing runs: no database URLs, no proxy names, no leftover scan (no supervisor file), and
    // no socket is opened where there is no socket file.
    mustNotLoad: [
      /^src\/services\/db\.ts$/,
      /^node_modules\/pg/,
      /^src\/services\/proxy-(client|routes)\.ts$/,
      /^src\/services\/leftovers\.ts$/,
      /^src\/core\/supervisor\/process-tree\.ts$/,
    ],
  },
  {
    args: ['env'],
    entry: 'env',
    // A fresh cache answers: poly.toml is not validated, nothing installs.
    mustNotLoad: [/^src\/core\/manifest\/validate\.ts$/, /^src\/services\/(env-)?install\.ts$/, /semver/],
  },
  {
    args: ['config', 'list'],
    entry: 'config-list',
    // Settings only: no poly.toml, no TOML parser, no version ranges.
    mustNotLoad: [/^src\/core\/manifest\//, /smol-toml/, /semver/],
  },
  {
    args: ['templates'],
    entry: 'templates',
    // The templates' own files: no poly.toml is loaded or validated, no supervisor asked, and the
    // built-in templates' plain ranges need no semver.
    mustNotLoad: [
      /^src\/core\/manifest\/(load|validate)\.ts$/,
      /^src\/core\/supervisor\/(control|host)\.ts$/,
      /^node_modules\/semver\//,
    ],
  },
  {
    args: ['--help'],
    entry: 'help',
    // The saved text: nothing but the dispatcher, the help file and the process context the dispatcher
    // makes once for every fast path (#16's one context: env, layout, host, http options; no node: module),
    // and the loader of the fast paths' bundles.
    mustNotLoad: [
      /^(?!src\/cli\/fast-path\.ts$|src\/cli\/fast\/help\.ts$|bin\/run\.cjs$|src\/cli\/bundle-loader\.ts$|poly-fast-path:help$|dist\/bundle\/|src\/cli\/this-process\.ts$|src\/core\/(context|poly-env|node-crypto|store\/layout|runtimes\/http)\.ts$|runtimes\/types\.ts$).*/,
    ],
  },
];

describe('what the cold commands load (a real run, Node module hooks)', () => {
  const home = tempHome('poly-lean-');
  const project = join(home.dir, 'project');
  const env = { ...process.env, ...home.env, CI: '', POLY_DEBUG: '' };
  before(() => {
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'poly.toml'), '[project]\nname = "lean"\n');
  });
  after(home.cleanup);

  for (const { args, entry, mustNotLoad } of COLD) {
    it(`poly ${args.join(' ')} loads its bundle and none of what it does not need`, () => {
      loadedModules(args, { cwd: project, env });
      const loaded: LoadedModules = loadedModules(args, { cwd: project, env });
      assert.ok(loaded.files.includes(`dist/bundle/${entry}.cjs`), `served from dist/bundle/${entry}.cjs`);
      for (const pattern of [...NEVER, ...mustNotLoad]) {
        const found = loaded.sources.filter((s) => pattern.test(s));
        assert.deepEqual(found, [], `poly ${args.join(' ')} loads what ${pattern} names`);
      }
      const builtins = loaded.builtins.filter((b) => HEAVY_BUILTINS.includes(b));
      assert.deepEqual(builtins, [], `poly ${args.join(' ')} imports these of Node's modules`);
    });
  }
});

describe('poly up -d (a real run, Node module hooks)', () => {
  const home = tempHome('poly-lean-up-');
  const project = join(home.dir, 'project');
  const env = { ...process.env, ...home.env, CI: '', POLY_DEBUG: '', POLY_PROXY: 'off' };
  before(() => {
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, 'poly.toml'),
      '[project]\nname = "lean"\n\n[services.idle]\nrun = "sleep 60"\n',
    );
  });
  after(() => {
    spawnSync(process.execPath, [POLY_BIN, 'down'], { cwd: project, env, stdio: 'ignore' });
    home.cleanup();
  });

  it('spawns its supervisor before its own bundle loads, from the small up-early bundle', () => {
    const loaded = loadedModules(['up', '-d'], { cwd: project, env });
    spawnSync(process.execPath, [POLY_BIN, 'down'], { cwd: project, env, stdio: 'ignore' });
    const supervisor = loaded.order.findIndex((e) => /^spawn .*run\.cjs supervise /.test(e));
    const early = loaded.order.indexOf('dist/bundle/up-early.cjs');
    const up = loaded.order.indexOf('dist/bundle/up.cjs');
    assert.ok(supervisor >= 0 && early >= 0 && up >= 0, loaded.order.join('\n'));
    assert.ok(early < supervisor && supervisor < up, loaded.order.join('\n'));
  });
});
