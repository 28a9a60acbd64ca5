import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { storeLayout } from '../../../src/core/store/layout.js';
import { refreshShims } from '../../../src/services/install/shims.js';
import { createEnvSandbox, type EnvSandbox, POLY_BIN } from '../../helpers/env-sandbox.js';

const POLY_SH = fileURLToPath(new URL('../../../../bin/poly', import.meta.url));

// The env_files of the project and of a service, and a service's folder, as the
// readers that never start Node see them: the bash, zsh and fish prompt hooks
// (each __poly_hook stands for a prompt), bin/poly's `poly exec` and a shim.
describe('shell readers: env_files and service folders', () => {
  let box: EnvSandbox;
  let project: string;
  let email: string;
  let shims: string;
  before(() => {
    box = createEnvSandbox();
    project = box.project(
      'shop',
      `[project]\nenv_file = [".env", { path = ".env.local", required = false }]\n` +
        `[runtimes]\nnode = "${box.seeded.node}"\n[env]\nWHO = "project"\n` +
        '[services.email]\npath = "services/email"\nrun = "x"\nenv_file = "services/email/.env"\n' +
        'env = { WHO = "email" }\n',
    );
    email = join(project, 'services/email');
    mkdirSync(join(email, 'deep'), { recursive: true });
    const layout = storeLayout(box.env);
    refreshShims(layout, { os: process.platform, arch: process.arch });
    shims = layout.shims;
  });
  after(() => box.cleanup());

  /** Like an editor's save, dated later than anything poly wrote so far. */
  let clock = Date.now() + 10_000;
  const edit = (file: string, text: string) => {
    writeFileSync(`${file}.tmp`, text);
    clock += 2000;
    const later = new Date(clock);
    utimesSync(`${file}.tmp`, later, later);
    renameSync(`${file}.tmp`, file);
  };
  const reset = () => {
    edit(join(project, '.env'), 'FROM_FILE=one\n');
    edit(join(email, '.env'), 'MAIL=m1\n');
    rmSync(join(project, '.env.local'), { force: true });
  };

  const hookRun = (shell: 'bash' | 'zsh' | 'fish', body: string) => {
    const activate =
      shell === 'fish'
        ? `'${process.execPath}' '${POLY_BIN}' activate fish | source`
        : `eval "$('${process.execPath}' '${POLY_BIN}' activate ${shell})"`;
    const args =
      shell === 'bash'
        ? ['--norc', '--noprofile', '-c']
        : shell === 'zsh'
          ? ['-f', '-c']
          : ['--no-config', '-c'];
    const r = spawnSync(shell, [...args, `${activate}\n${body}`], {
      cwd: box.dir,
      env: box.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split('\n');
  };

  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it(`${shell}: the next prompt sees an edited, added or removed env_file`, () => {
      reset();
      const show = `sh -c 'echo "$FROM_FILE|$LOCAL"'`;
      const out = hookRun(
        shell,
        [
          `cd '${project}'`,
          '__poly_hook',
          show,
          `printf 'FROM_FILE=two\\n' > .env.tmp; touch -d '@${Math.floor(clock / 1000) + 4}' .env.tmp; mv .env.tmp .env`,
          '__poly_hook',
          show,
          `printf 'LOCAL=here\\n' > .env.local; touch -d '@${Math.floor(clock / 1000) + 6}' .env.local`,
          '__poly_hook',
          show,
          'rm .env.local',
          '__poly_hook',
          show,
        ].join('\n'),
      );
      clock += 8000;
      assert.deepEqual(out, ['one|', 'two|', 'two|here', 'two|']);
    });

    it(`${shell}: a service's folder gets its environment; leaving it restores the project's, leaving the project the user's`, () => {
      reset();
      const show = `sh -c 'echo "\${WHO:-none}|\${MAIL:-none}|\${FROM_FILE:-none}"'`;
      const out = hookRun(
        shell,
        [
          `cd '${project}'`,
          '__poly_hook',
          show,
          'cd services/email/deep',
          '__poly_hook',
          show,
          `cd '${project}'`,
          '__poly_hook',
          show,
          // Once the project's cache exists the hook knows the folder without Node: again, then an edit.
          'cd services/email',
          '__poly_hook',
          show,
          `printf 'MAIL=m2\\n' > .env.tmp; touch -d '@${Math.floor(clock / 1000) + 4}' .env.tmp; mv .env.tmp .env`,
          '__poly_hook',
          show,
          "cd '/'",
          '__poly_hook',
          show,
        ].join('\n'),
      );
      clock += 6000;
      assert.deepEqual(out, [
        'project|none|one',
        'email|m1|one',
        'project|none|one',
        'email|m1|one',
        'email|m2|one',
        'none|none|none',
      ]);
    });
  }

  const sh = (cwd: string, file: string, args: string[]) =>
    spawnSync(file, args, {
      cwd,
      env: { ...box.env, PATH: `${shims}:${box.env.PATH}` },
      encoding: 'utf8',
    });
  const node = ['-p', '[process.env.WHO, process.env.MAIL, process.env.FROM_FILE].join("|")'];

  it('bin/poly exec sees an edited env_file, and a service folder gets the service', () => {
    reset();
    const warm = sh(project, POLY_SH, ['exec', '--', 'node', ...node]);
    assert.equal(warm.stdout.trim(), 'project||one', warm.stderr);
    edit(join(project, '.env'), 'FROM_FILE=three\n');
    assert.equal(sh(project, POLY_SH, ['exec', '--', 'node', ...node]).stdout.trim(), 'project||three');
    for (let i = 0; i < 2; i++) {
      const r = sh(email, POLY_SH, ['exec', '--', 'node', ...node]);
      assert.equal(r.stdout.trim(), 'email|m1|three', `run ${i + 1}: ${r.stderr}`);
    }
    // The service's own cache, which bin/poly and the shims read without Node from now on.
    assert.ok(existsSync(join(project, '.poly/service-env/services/email/env.sh')));
    edit(join(email, '.env'), 'MAIL=m3\n');
    assert.equal(sh(email, POLY_SH, ['exec', '--', 'node', ...node]).stdout.trim(), 'email|m3|three');
  });

  it('a shim sees an edited env_file, and a service folder gets the service', () => {
    reset();
    const script = ['-c', `node ${node.map((a) => `'${a}'`).join(' ')}`];
    assert.equal(sh(project, '/bin/sh', script).stdout.trim(), 'project||one');
    edit(join(project, '.env'), 'FROM_FILE=four\n');
    assert.equal(sh(project, '/bin/sh', script).stdout.trim(), 'project||four');
    for (let i = 0; i < 2; i++)
      assert.equal(sh(email, '/bin/sh', script).stdout.trim(), 'email|m1|four', `run ${i + 1}`);
    edit(join(email, '.env'), 'MAIL=m4\n');
    assert.equal(sh(email, '/bin/sh', script).stdout.trim(), 'email|m4|four');
  });
});
