import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { POLY_BIN, REPO_ROOT } from '../../helpers/poly-cli.js';

// #17 messages: oclif's update notice ("oclif update available ...") is not poly's to show.
describe('no oclif update notice', () => {
  it("in poly's build: the oclif CLI runs with its update check off", async () => {
    const { quietOclifEnv } = (await import(join(REPO_ROOT, 'scripts', 'oclif-env.mjs'))) as {
      quietOclifEnv: (env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
    };
    const r = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules', 'oclif', 'bin', 'run.js'), '--version'],
      {
        env: quietOclifEnv(process.env),
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(`${r.stdout}${r.stderr}`, /update available/);
  });

  it("in poly's runs through oclif", () => {
    const r = spawnSync(process.execPath, [POLY_BIN, 'templates'], {
      encoding: 'utf8',
      env: { ...process.env, CI: '' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(`${r.stdout}${r.stderr}`, /update available/);
  });
});
