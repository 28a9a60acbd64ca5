import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceEndpoints } from '../../../src/core/docker/service-urls.js';
import { EMPTY_DELTA, type EnvironmentDelta } from '../../../src/core/env/types.js';
import { isPolyError } from '../../../src/core/errors.js';
import { formatError } from '../../../src/core/format-error.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import type { Manifest } from '../../../src/core/manifest/types.js';
import { planEnvironments } from '../../../src/services/up/env.js';

const NODE = '/home/ann/.local/share/poly/installs/node/22.11.0';
const HOST = { PATH: '/usr/bin:/bin', HOME: '/home/ann', RUST_LOG: 'info', SSH_AUTH_SOCK: '/tmp/agent' };

/** What composeEnvironment() gives for a project with node pinned and installed. */
const DELTA: EnvironmentDelta = {
  ...EMPTY_DELTA,
  source: 'project',
  root: '/project',
  pathPrepend: [`${NODE}/bin`],
  set: { NODE_HOME: NODE },
  toolchainSet: { NODE_HOME: NODE },
  toolchains: [{ runtime: 'node', version: '22.11.0', dir: NODE, binDirs: [`${NODE}/bin`] }],
};

function manifest(toml: string): Manifest {
  return parseManifest(toml, '/project/poly.toml', 'poly.toml');
}

/** Every service's environment for its side, as `poly up` plans it. */
function plan(
  m: Manifest,
  ports: Record<string, number>,
  modes: Record<string, 'native' | 'container'> = {},
) {
  const specs = Object.values(m.services).map((s) => ({ ...s, mode: modes[s.name] ?? s.mode }));
  const peers = serviceEndpoints(
    specs.map((s) => ({ ...s, modeWritten: true })),
    ports,
    {},
  );
  return planEnvironments(m, DELTA, specs, ports, peers, HOST);
}

const SHOP = `
[runtimes]
node = "22"

[env]
RUST_LOG = "info"
CATALOG_SERVICE_ADDR = "\${CATALOG_HOST}:\${CATALOG_PORT}"

[services.catalog]
runtime = "node"
run = "node server.js --port \${PORT}"
port = 4100

[services.frontend]
runtime = "node"
run = "node web.js"
port = 4200
env = { GREETING = "hi from \${HOST:-nowhere}", PRICE = "$$5" }
`;

describe('one service environment, two sides', () => {
  it('keeps a [env] value that equals the host value inside the container (RUST_LOG)', () => {
    const envs = plan(manifest(SHOP), { catalog: 4100, frontend: 4200 }, { frontend: 'container' });
    assert.equal(envs.frontend?.env.RUST_LOG, 'info');
  });

  it('lets nothing else of the host environment into a container', () => {
    const env = plan(manifest(SHOP), { catalog: 4100, frontend: 4200 }, { frontend: 'container' }).frontend
      ?.env;
    assert.equal(env?.SSH_AUTH_SOCK, undefined);
    assert.equal(env?.HOME, undefined);
    assert.equal(env?.NODE_HOME, '/opt/poly/node/22.11.0');
    assert.equal(env?.PATH?.split(':')[0], '/opt/poly/node/22.11.0/bin');
  });

  it('gives a native service the host environment with the toolchain first on PATH', () => {
    const env = plan(manifest(SHOP), { catalog: 4100, frontend: 4200 }).frontend?.env;
    assert.equal(env?.SSH_AUTH_SOCK, '/tmp/agent');
    assert.equal(env?.PATH, `${NODE}/bin:/usr/bin:/bin`);
    assert.equal(env?.HOST, '127.0.0.1');
    assert.equal(env?.PORT, '4200');
  });

  it('interpolates per side: 127.0.0.1 natively, the service name in a container', () => {
    const m = manifest(SHOP);
    const native = plan(m, { catalog: 4100, frontend: 4200 });
    const mixed = plan(m, { catalog: 4100, frontend: 4200 }, { catalog: 'container', frontend: 'container' });
    assert.equal(native.frontend?.env.CATALOG_SERVICE_ADDR, '127.0.0.1:4100');
    assert.equal(mixed.frontend?.env.CATALOG_SERVICE_ADDR, 'catalog:4100');
    assert.equal(native.frontend?.env.CATALOG_ADDR, '127.0.0.1:4100');
    assert.equal(mixed.frontend?.env.HOST, '0.0.0.0');
    assert.equal(mixed.frontend?.env.GREETING, 'hi from 0.0.0.0');
    assert.equal(native.frontend?.env.GREETING, 'hi from 127.0.0.1');
    assert.equal(native.frontend?.env.PRICE, '$5');
    assert.equal(native.catalog?.run, 'node server.js --port 4100');
  });

  it("lets a service's own env win over PORT and HOST", () => {
    const m = manifest(
      `${SHOP}\n[services.admin]\nrun = "x"\nport = 4300\nenv = { PORT = "8080", HOST = "0.0.0.0" }\n`,
    );
    const env = plan(m, { catalog: 4100, frontend: 4200, admin: 4300 }).admin?.env;
    assert.equal(env?.PORT, '8080');
    assert.equal(env?.HOST, '0.0.0.0');
  });

  it('gives an image service its own port as PORT inside, and its published port to native peers', () => {
    const m = manifest(`${SHOP}\n[services.db]\nimage = "postgres:16"\nport = 5432\n`);
    const envs = plan(m, { catalog: 4100, frontend: 4200, db: 15432 });
    assert.equal(envs.db?.env.PORT, '5432');
    assert.equal(envs.db?.env.PATH, undefined);
    assert.equal(envs.frontend?.env.DB_ADDR, '127.0.0.1:15432');
    assert.equal(envs.db?.checkEnv?.PORT, '15432');
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
  it('reads ${NAME} inside its own definition as the value beneath, and defaults', () => {
    const m = manifest(
      `[env]\nPATH_EXTRA = "\${PATH}:/opt/x"\nMODE = "\${MODE:-dev}"\nEMPTY = "\${NOPE-}"\n[services.a]\nrun = "x"\nenv = { MODE = "\${MODE}-local" }\n`,
    );
    const env = plan(m, {}).a?.env;
    assert.equal(env?.PATH_EXTRA, `${NODE}/bin:/usr/bin:/bin:/opt/x`);
    assert.equal(env?.MODE, 'dev-local');
    assert.equal(env?.EMPTY, '');
  });

  it('refuses a variable nobody sets, naming poly.toml line and column', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
    const m = manifest('[services.api]\nrun = "x"\nport = 3000\nenv = { DB = "${DB_HOST}:5432" }\n');
    assert.throws(
      () => plan(m, { api: 3000 }),
      (err: unknown) =>
        isPolyError(err) &&
        formatError(err, {}) ===
          // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
          'error: poly.toml:4:15: services.api.env.DB: ${DB_HOST} is not set\n' +
            // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
            "hint: Set DB_HOST in [env] or the service's env, give it a default (${DB_HOST:-value}), or write $$ for a literal $.",
    );
  });

  it("runs a Python service from its own venv, the others from the project's", () => {
    const PY = '/home/ann/.local/share/poly/installs/python/3.12.1';
    const venv = { dir: '/project/.venv', binDir: '/project/.venv/bin', pythonVersion: '3.12.1' };
    const delta: EnvironmentDelta = {
      ...EMPTY_DELTA,
      root: '/project',
      pathPrepend: [venv.binDir, `${PY}/bin`],
      toolchainSet: { VIRTUAL_ENV: venv.dir },
      unset: ['PYTHONHOME'],
      toolchains: [{ runtime: 'python', version: '3.12.1', dir: PY, binDirs: [`${PY}/bin`] }],
      venv,
    };
    const m = manifest(
      '[runtimes]\npython = "3.12"\n[services.email]\npath = "email"\nruntime = "python"\nvenv = ".venv"\nrun = "x"\n[services.sms]\nruntime = "python"\nrun = "x"\n',
    );
    const envs = planEnvironments(m, delta, Object.values(m.services), {}, [], { ...HOST, PYTHONHOME: '/x' });
    assert.equal(envs.email?.env.VIRTUAL_ENV, '/project/email/.venv');
    assert.equal(envs.email?.env.PATH, `/project/email/.venv/bin:${PY}/bin:/usr/bin:/bin`);
    assert.equal(envs.email?.env.PYTHONHOME, undefined);
    assert.equal(envs.sms?.env.VIRTUAL_ENV, '/project/.venv');
  });

  it('records where each variable came from', () => {
    const sources = plan(manifest(SHOP), { catalog: 4100, frontend: 4200 }).frontend?.sources;
    assert.equal(sources?.SSH_AUTH_SOCK, 'host');
    assert.equal(sources?.PATH, 'toolchain');
    assert.equal(sources?.PORT, 'poly');
    assert.equal(sources?.CATALOG_PORT, 'peer');
    assert.equal(sources?.RUST_LOG, 'project');
    assert.equal(sources?.GREETING, 'service');
  });
});
