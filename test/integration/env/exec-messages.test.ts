import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createEnvSandbox, type EnvSandbox, POLY_BIN } from '../../helpers/env-sandbox.js';

const POLY_SH = fileURLToPath(new URL('../../../../bin/poly', import.meta.url));

// #17 messages: `poly exec` of a missing or non-executable command says the same thing on the
// sh front (bin/poly, fresh cache) as in TypeScript (bin/run.cjs).
describe('poly exec: one message for a command that cannot run, on every path', () => {
  let box: EnvSandbox;
  let project: string;
  before(() => {
    box = createEnvSandbox();
    project = box.project('p', `[runtimes]\nnode = "${box.seeded.node}"\n`);
    writeFileSync(join(project, 'notes.txt'), 'not a program\n', { mode: 0o644 });
    // Writes the environment cache, so that bin/poly serves the next runs from sh.
    spawnSync(process.execPath, [POLY_BIN, 'exec', '--', 'true'], { cwd: project, env: box.env });
  });
  after(() => box.cleanup());

  const both = (args: string[]) =>
    [
      spawnSync(POLY_SH, args, { cwd: project, env: box.env, encoding: 'utf8' }),
      spawnSync(process.execPath, [POLY_BIN, ...args], { cwd: project, env: box.env, encoding: 'utf8' }),
    ] as const;

  it('a missing command: exit 127, the same two lines', () => {
    const [sh, ts] = both(['exec', '--', 'poly-no-such-command', 'x']);
    assert.equal(ts.status, 127);
    assert.equal(
      ts.stderr,
      "error: poly-no-such-command: command not found\nhint: It is not in the project's toolchains nor on PATH; `poly env` shows the environment.\n",
    );
    assert.deepEqual([sh.status, sh.stderr], [ts.status, ts.stderr]);
  });

  it('a file that is not executable: exit 126, the same two lines', () => {
    const [sh, ts] = both(['exec', './notes.txt']);
    assert.equal(ts.status, 126);
    assert.equal(
      ts.stderr,
      'error: ./notes.txt: permission denied (not an executable file)\nhint: Make it executable (chmod +x ./notes.txt), or run it with its interpreter.\n',
    );
    assert.deepEqual([sh.status, sh.stderr], [ts.status, ts.stderr]);
  });

  it('a missing path: exit 127 on both', () => {
    const [sh, ts] = both(['exec', './nowhere/x']);
    assert.equal(ts.status, 127);
    assert.match(ts.stderr, /^error: \.\/nowhere\/x: command not found\n/);
    assert.deepEqual([sh.status, sh.stderr], [ts.status, ts.stderr]);
  });
});
