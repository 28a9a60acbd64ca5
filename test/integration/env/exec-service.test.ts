import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEnvSandbox, type EnvSandbox, POLY_BIN } from '../../helpers/env-sandbox.js';

/** `poly exec` as a service: its env_file, env and own venv, from its folder or with --service. */
describe('poly exec with a service environment', () => {
  let box: EnvSandbox;
  let project: string;
  before(() => {
    box = createEnvSandbox();
    const python = box.seeded.python ? `python = "${box.seeded.python}"\n` : '';
    project = box.project(
      'svc',
      `[project]\nenv_file = [".env", { path = ".env.local", required = false }]\n` +
        `[runtimes]\nnode = "${box.seeded.node}"\n${python}` +
        `[env]\nMODE = "\${FROM_FILE}-mode"\nWHO = "project"\n` +
        `[services.email]\npath = "services/email"\n${python ? 'runtime = "python"\nvenv = ".venv"\n' : ''}run = "x"\n` +
        // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
        'env_file = "services/email/.env"\nenv = { WHO = "email", SENDER = "${MODE}@${HOST}" }\n' +
        '[services.web]\npath = "services/web"\nrun = "x"\nport = 4100\nenv = { WHO = "web" }\n' +
        (python
          ? '[services.sms]\npath = "services/sms"\nruntime = "python"\nvenv = ".venv"\nrun = "x"\n'
          : ''),
    );
    for (const dir of ['services/email', 'services/web', 'services/sms'])
      mkdirSync(join(project, dir), { recursive: true });
    writeFileSync(join(project, '.env'), '# shared\nexport FROM_FILE="dot env"\n');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
    writeFileSync(join(project, 'services/email/.env'), "SMTP='smtp://${literal}'\n");
  });
  after(() => box.cleanup());

  const exec = (cwd: string, args: string[]) =>
    spawnSync(process.execPath, [POLY_BIN, 'exec', ...args], { cwd, env: box.env, encoding: 'utf8' });
  const show =
    'console.log([process.env.WHO, process.env.MODE, process.env.SENDER, process.env.SMTP].join("|"))';

  it("gives the project folder the project's env_file and [env], interpolated", () => {
    const r = exec(project, ['--', 'node', '-e', show]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'project|dot env-mode||');
  });

  it("gives a service's folder that service's environment", () => {
    const r = exec(join(project, 'services/email'), ['--', 'node', '-e', show]);
    assert.equal(r.status, 0, r.stderr);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
    assert.equal(r.stdout.trim(), 'email|dot env-mode|dot env-mode@127.0.0.1|smtp://${literal}');
  });

  it('gives --service the same from anywhere', () => {
    const r = exec(project, ['--service', 'web', '--', 'node', '-e', show]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'web|dot env-mode||');
    const unknown = exec(project, ['--service', 'nope', '--', 'true']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /poly.toml has no service "nope"/);
  });

  it("runs a Python service's commands in its own venv", (t) => {
    if (!box.seeded.python) {
      assert.ok(process.env.CI !== 'true', 'CI needs python 3.12.1 (scripts/setup-machine.sh)');
      return t.skip('no python 3.12.1 on this machine to seed');
    }
    const r = exec(join(project, 'services/email'), ['--', 'python', '-c', 'import sys; print(sys.prefix)']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), join(project, 'services/email/.venv'));
    const root = exec(project, ['--', 'python', '-c', 'import sys; print(sys.prefix)']);
    assert.equal(root.stdout.trim(), join(project, '.venv'));
  });

  it('installs conflicting pins of two Python services, each into its own venv', (t) => {
    if (!box.seeded.python) {
      assert.ok(process.env.CI !== 'true', 'CI needs python 3.12.1 (scripts/setup-machine.sh)');
      return t.skip('no python 3.12.1 on this machine to seed');
    }
    // pip's own default index (PyPI): the one package registry these tests may reach.
    const pip = (cwd: string, args: string[], pin: string) =>
      exec(cwd, [...args, '--', 'python', '-m', 'pip', 'install', '-q', '--disable-pip-version-check', pin]);
    const email = pip(join(project, 'services/email'), [], 'six==1.16.0');
    assert.equal(email.status, 0, email.stderr);
    const sms = pip(project, ['--service', 'sms'], 'six==1.15.0');
    assert.equal(sms.status, 0, sms.stderr);
    const version = (args: string[], cwd = project) =>
      exec(cwd, [...args, '--', 'python', '-c', 'import six; print(six.__version__)']).stdout.trim();
    assert.equal(version([], join(project, 'services/email')), '1.16.0');
    assert.equal(version(['--service', 'sms']), '1.15.0');
  });
});
