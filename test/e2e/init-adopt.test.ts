import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseManifest } from '../../src/core/manifest/load.js';
import { runPoly, tempHome } from '../helpers/poly-cli.js';
import { writeTree } from '../unit/adopt/repo-tree.js';

/** `poly init` on repos that already exist, through the real CLI without a terminal. */
describe('poly init adopts an existing repo (real CLI)', () => {
  const home = tempHome();
  after(home.cleanup);
  let n = 0;
  const repo = (files: Record<string, string>) => writeTree(join(home.dir, `r${n++}`), files);
  const monorepo = () =>
    repo({
      'web/.nvmrc': '22\n',
      'web/package.json': JSON.stringify({ scripts: { dev: 'vite' } }),
      'services/api/rust-toolchain.toml': '[toolchain]\nchannel = "1.82"\n',
      'services/api/Cargo.toml': '[package]\nname = "api"\nversion = "0.1.0"\n[dependencies]\naxum = "0.7"\n',
      'services/api/src/main.rs': 'fn main() { let _ = "0.0.0.0:3000"; }\n',
      'compose.yml': 'services:\n  cache:\n    image: redis:7\n    ports: ["6379:6379"]\n',
    });

  it('--dry-run prints the poly.toml it would write and writes nothing; the report goes to stderr', async () => {
    const dir = monorepo();
    const r = await runPoly(['init', '--dry-run'], { cwd: dir, env: home.env });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(existsSync(join(dir, 'poly.toml')), false);
    const m = parseManifest(r.stdout, join(dir, 'poly.toml'));
    assert.deepEqual(Object.keys(m.services), ['cache', 'web', 'api']);
    assert.match(
      r.stdout,
      /^rust = "1\.82" +# from services\/api\/rust-toolchain\.toml \(channel = "1\.82"\)$/m,
    );
    assert.match(r.stdout, /^\[services\.api\] +# from services\/api\/Cargo\.toml$/m);
    assert.match(r.stdout, /^\[services\.cache\] +# from compose\.yml:2$/m);
    assert.match(r.stderr, /^service +web +node · npm run dev · port 5173 +\(from web\/package\.json\)$/m);
    assert.match(r.stderr, /dry run: .*poly\.toml was not written/);
  });

  it('--json returns the same as data, and --yes writes exactly that file', async () => {
    const dir = monorepo();
    const r = await runPoly(['init', '--yes', '--json'], { cwd: dir, env: home.env });
    assert.equal(r.exitCode, 0, r.stderr);
    const result = JSON.parse(r.stdout) as {
      manifest: string;
      written: boolean;
      pinned: { runtime: string; source: string }[];
      services: { name: string; source: string }[];
    };
    assert.equal(result.written, true);
    assert.equal(readFileSync(join(dir, 'poly.toml'), 'utf8'), result.manifest);
    assert.deepEqual(
      result.pinned.map((p) => [p.runtime, p.source]),
      [
        ['node', 'web/.nvmrc'],
        ['rust', 'services/api/rust-toolchain.toml'],
      ],
    );
    assert.deepEqual(
      result.services.map((s) => s.name),
      ['cache', 'web', 'api'],
    );
  });

  it('--merge adds what is missing to an existing poly.toml and keeps every byte of it', async () => {
    const dir = monorepo();
    const mine =
      '# our project\n[project]\nname = "mine"   # keep\n\n[runtimes]\nnode = "20"  # we test on 20\n\n[services.web]\npath = "web"\nrun = "npm run dev"\n';
    writeTree(dir, { 'poly.toml': mine });
    const r = await runPoly(['init', '--merge', '--yes'], { cwd: dir, env: home.env });
    assert.equal(r.exitCode, 0, r.stderr);
    const text = readFileSync(join(dir, 'poly.toml'), 'utf8');
    assert.ok(
      text.startsWith(
        '# our project\n[project]\nname = "mine"   # keep\n\n[runtimes]\nnode = "20"  # we test on 20\n',
      ),
      text,
    );
    assert.match(text, /^rust = "1\.82" +# from services\/api\/rust-toolchain\.toml \(channel = "1\.82"\)$/m);
    assert.ok(text.includes('[services.web]\npath = "web"\nrun = "npm run dev"\n'), text);
    assert.equal(text.match(/\[services\.web\]/g)?.length, 1);
    const m = parseManifest(text, join(dir, 'poly.toml'));
    assert.deepEqual(Object.keys(m.services).sort(), ['api', 'cache', 'web']);
    assert.equal(m.runtimes.node?.spec, '20');
    assert.match(r.stdout, /already pins node \(20\); 22 from web\/\.nvmrc not added/);
    assert.match(r.stdout, /already has \[services\.web\]/);
    // Merging again finds everything there: the file stays byte for byte.
    const again = await runPoly(['init', '--merge', '--yes'], { cwd: dir, env: home.env });
    assert.equal(again.exitCode, 0, again.stderr);
    assert.equal(readFileSync(join(dir, 'poly.toml'), 'utf8'), text);
    assert.match(again.stdout, /^nothing new to add: .*poly\.toml already has everything found$/m);
  });

  const broken: [string, Record<string, string>, RegExp][] = [
    [
      'a compose file that is not YAML',
      { 'compose.yaml': 'services:\n  db:\n    image: "postgres\n' },
      /^error: compose\.yaml:\d+:\d+: not valid YAML/m,
    ],
    [
      'a Procfile line without a command',
      { Procfile: 'web: npm start\nworker:   \n' },
      /^error: Procfile:2: process type "worker" has no command$/m,
    ],
    [
      'a package.json that is not JSON',
      { '.nvmrc': '22\n', 'web/package.json': '{ "scripts": { "dev": "vite" }\n' },
      /^error: web\/package\.json:2:1: not valid JSON/m,
    ],
  ];
  for (const [what, files, message] of broken)
    it(`refuses ${what}, naming file and line, and writes nothing`, async () => {
      const dir = repo(files);
      const r = await runPoly(['init', '--yes'], { cwd: dir, env: home.env });
      assert.equal(r.exitCode, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /nothing was written/);
      assert.equal(existsSync(join(dir, 'poly.toml')), false);
    });
});
