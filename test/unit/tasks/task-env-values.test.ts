// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the ${NAME} syntax under test, written literally
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPolyError } from '../../../src/core/errors.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import type { Manifest } from '../../../src/core/manifest/types.js';
import { withTaskEnv } from '../../../src/core/tasks/task-env-values.js';

const load = (source: string): Manifest => parseManifest(source, '/nowhere/poly.toml', 'poly.toml');

function task(manifest: Manifest, id: string) {
  const t = manifest.tasks?.[id];
  assert.ok(t, `task ${id}`);
  return t;
}

/** The PolyError a call throws, for exact message checks. */
function failure(fn: () => unknown): { code: string; message: string; hint?: string } {
  try {
    fn();
  } catch (err) {
    if (isPolyError(err))
      return { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
    throw err;
  }
  assert.fail('expected a PolyError');
}

describe('a task env is interpolated as a service env is', () => {
  it('reads ${NAME}, ${NAME:-default}, ${NAME-default} from the environment beneath; $$ is a $', () => {
    const m = load(`[tasks.gen]
run = "gen"
env = { OUT = "\${ROOT}/gen", LEVEL = "\${LOG_LEVEL:-info}", EMPTY = "\${BLANK:-none}", KEEP = "\${BLANK-unset}", PRICE = "$$5", PLAIN = "$HOME" }
`);
    const env = withTaskEnv(m, task(m, 'gen'), { ROOT: '/p', BLANK: '' });
    assert.deepEqual(
      {
        OUT: env.OUT,
        LEVEL: env.LEVEL,
        EMPTY: env.EMPTY,
        KEEP: env.KEEP,
        PRICE: env.PRICE,
        PLAIN: env.PLAIN,
      },
      { OUT: '/p/gen', LEVEL: 'info', EMPTY: 'none', KEEP: '', PRICE: '$5', PLAIN: '$HOME' },
    );
    assert.equal(env.ROOT, '/p', 'the environment beneath is kept');
  });

  it('extends a variable with its own value beneath, and reads its sibling task variables', () => {
    const m = load(`[services.api]
path = "api"
run = "serve"

[services.api.tasks]
test = { run = "t", env = { PATH = "\${PATH}:/extra", URL = "http://\${HOSTNAME_X}:\${PORT_X}" , HOSTNAME_X = "localhost", PORT_X = "9" } }
`);
    const env = withTaskEnv(m, task(m, 'api:test'), { PATH: '/bin' });
    assert.equal(env.PATH, '/bin:/extra');
    assert.equal(env.URL, 'http://localhost:9');
  });

  it('an unknown variable names poly.toml:line:column, the key, and a guess', () => {
    const m = load(`[env]
DATABASE_URL = "x"

[tasks.gen]
run = "gen"
env = { OUT = "dir/\${DATABSE_URL}" }
`);
    assert.deepEqual(
      failure(() => withTaskEnv(m, task(m, 'gen'), { DATABASE_URL: 'x' })),
      {
        code: 'ENV_UNKNOWN_VARIABLE',
        message: 'poly.toml:6:20: tasks.gen.env.OUT: ${DATABSE_URL} is not set. Did you mean "DATABASE_URL"?',
        hint: "Set DATABSE_URL in [env] or the service's env, give it a default (${DATABSE_URL:-value}), or write $$ for a literal $.",
      },
    );
  });

  it("a service task's unknown variable names its place under [services.<name>.tasks]", () => {
    const m = load(`[services.api]
path = "api"
run = "serve"

[services.api.tasks.test]
run = "t"
env.TOKEN = "\${NOPE}"
`);
    assert.equal(
      failure(() => withTaskEnv(m, task(m, 'api:test'), {})).message,
      'poly.toml:7:14: services.api.tasks.test.env.TOKEN: ${NOPE} is not set',
    );
  });

  it('bad syntax and cycles are manifest errors at load, with line:column', () => {
    assert.deepEqual(
      failure(() => load(`[tasks.gen]\nrun = "gen"\nenv = { OUT = "\${OUT" }\n`)),
      {
        code: 'ENV_SYNTAX',
        message: 'poly.toml:3:16: tasks.gen.env.OUT: "${" without a closing "}"',
        hint: 'Write ${NAME}, ${NAME:-default}, or $$ for a literal $.',
      },
    );
    assert.equal(
      failure(() => load(`[tasks.gen]\nrun = "gen"\nenv = { A = "\${B}", B = "\${A}" }\n`)).message,
      'poly.toml:3:14: tasks.gen.env.A: variables refer to each other in a cycle: A -> B -> A',
    );
  });
});
