import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { POLY_BIN } from '../../helpers/env-sandbox.js';
import { makeServicesProject } from '../../helpers/services-project.js';

describe('poly run: a task env is interpolated through the service-env pipeline', () => {
  const project = makeServicesProject(
    `[services.api]
path = "api"
run = "sleep 100"
port = 4377

[services.api.tasks]
show = { run = "node ../show.js", env = { URL = "http://127.0.0.1:\${PORT}/\${POLY_TEST_TOKEN}", MODE = "\${API_MODE:-dev}", PRICE = "$$5" } }
broken = { run = "node ../show.js", env = { TOKEN = "\${NO_SUCH_TOKEN}" } }

[tasks.show]
run = "node show.js"
env = { URL = "\${POLY_TEST_TOKEN}-\${HOME_FOR_TEST}", MODE = "\${API_MODE-unset}", PRICE = "$$HOME" }
`,
    {
      'api/.keep': '',
      'show.js': `console.log(['URL', 'MODE', 'PRICE'].map((k) => k + '=' + process.env[k]).join(' '));`,
    },
  );
  after(() => project.cleanup());

  const poly = (...args: string[]) => {
    const r = spawnSync(process.execPath, [POLY_BIN, ...args], {
      cwd: project.root,
      env: { ...project.env, CI: '1', HOME_FOR_TEST: '/home/t' },
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it("a service task reads the service's PORT and [env]; defaults and $$ work", () => {
    const r = poly('run', 'api:show');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(
      r.out,
      new RegExp(`^api:show \\| URL=http://127\\.0\\.0\\.1:4377/${project.token} MODE=dev PRICE=\\$5$`, 'm'),
    );
  });

  it("a project task reads the project's environment and the host's", () => {
    const r = poly('run', 'show');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, new RegExp(`^show \\| URL=${project.token}-/home/t MODE=unset PRICE=\\$HOME$`, 'm'));
  });

  it('an unknown variable fails that task, naming poly.toml:line:column and how to fix it', () => {
    const r = poly('run', 'api:broken');
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(
      r.out,
      /^✗ api:broken +\d+ms {2}failed: poly\.toml:14:54: services\.api\.tasks\.broken\.env\.TOKEN: \$\{NO_SUCH_TOKEN\} is not set$/m,
    );
    assert.match(
      r.out,
      /^api:broken \| hint: Set NO_SUCH_TOKEN in \[env\] or the service's env, give it a default/m,
    );
    assert.match(r.err, /error: 1 of 1 tasks failed: api:broken/);
  });
});
