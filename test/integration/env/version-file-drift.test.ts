import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { POLY_BIN } from '../../helpers/poly-cli.js';

// #17 messages: after `poly init` imported .nvmrc, `poly use node@22` says that .nvmrc still
// says 20, `poly doctor` lists it, and `--sync` updates it.
describe('version files that disagree with poly.toml', () => {
  let dir: string;
  let project: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'poly-drift-'));
    project = join(dir, 'app');
    mkdirSync(project);
    writeFileSync(join(project, '.nvmrc'), 'v20\n');
    writeFileSync(join(project, '.tool-versions'), 'nodejs 20\n');
    // What `poly init` writes from that .nvmrc.
    writeFileSync(join(project, 'poly.toml'), '[runtimes]\nnode = "20"  # from .nvmrc\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const env = () => ({
    ...process.env,
    POLY_HOME: join(dir, 'home'),
    POLY_CONFIG_DIR: join(dir, 'config'),
    CI: '',
    NO_COLOR: '1',
  });
  const poly = (args: string[]) =>
    spawnSync(process.execPath, [POLY_BIN, ...args], { cwd: project, env: env(), encoding: 'utf8' });

  it('poly use warns about each version file that still says the old version', () => {
    const r = poly(['use', 'node@22', '--no-install']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stderr,
      [
        'warning: .nvmrc says v20, but poly.toml pins node = "22"; `poly use --sync node@22` updates it',
        'warning: .tool-versions says nodejs 20, but poly.toml pins node = "22"; update it by hand',
        '',
      ].join('\n'),
    );
  });

  it('poly doctor lists them', () => {
    const r = poly(['doctor', '--json']);
    const report = JSON.parse(r.stdout) as {
      findings: { id: string; status: string; message: string; fix?: string }[];
    };
    assert.deepEqual(
      report.findings.filter((f) => f.id === 'version-files'),
      [
        {
          id: 'version-files',
          status: 'warn',
          message: '.nvmrc says v20, but poly.toml pins node = "22"',
          fix: 'poly use --sync node@22',
        },
        {
          id: 'version-files',
          status: 'warn',
          message: '.tool-versions says nodejs 20, but poly.toml pins node = "22"',
          fix: 'Edit .tool-versions to match poly.toml, or remove it.',
        },
      ],
    );
  });

  it('--sync rewrites the one-version files', () => {
    const r = poly(['use', 'node@22', '--sync', '--no-install']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^updated \.nvmrc$/m);
    assert.equal(readFileSync(join(project, '.nvmrc'), 'utf8'), '22\n');
    assert.equal(
      r.stderr,
      'warning: .tool-versions says nodejs 20, but poly.toml pins node = "22"; update it by hand\n',
    );
  });
});
