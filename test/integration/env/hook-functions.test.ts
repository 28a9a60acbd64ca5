import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEnvSandbox, type EnvSandbox, POLY_BIN } from '../../helpers/env-sandbox.js';

// The hook's functions called directly in a non-interactive shell (each __poly_hook
// stands for a prompt): cases the interactive tmux test does not walk through.
describe('hook functions', () => {
  let box: EnvSandbox;
  let project: string;
  let nested: string;
  before(() => {
    box = createEnvSandbox();
    writeFileSync(join(box.configDir, 'poly.toml'), '[env]\nWHERE = "global"\n');
    project = box.project('outer', '[env]\nWHERE = "outer"\nSHADOW = "poly"\n');
    nested = join(project, 'inner');
    mkdirSync(nested);
    writeFileSync(join(nested, 'poly.toml'), '[env]\nWHERE = "inner"\n');
  });
  after(() => box.cleanup());

  const run = (shell: 'bash' | 'zsh', body: string) => {
    const activate = `eval "$('${process.execPath}' '${POLY_BIN}' activate ${shell})"`;
    const r = spawnSync(
      shell,
      shell === 'bash'
        ? ['--norc', '--noprofile', '-c', `${activate}\n${body}`]
        : ['-f', '-c', `${activate}\n${body}`],
      {
        cwd: box.dir,
        env: box.env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'], // a socket on stdin makes Debian's bash read ~/.bashrc
      },
    );
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split('\n');
  };

  for (const shell of ['bash', 'zsh'] as const) {
    it(`${shell}: global pins outside projects, the nearest poly.toml inside`, () => {
      const out = run(
        shell,
        `echo "$WHERE"; cd '${project}'; __poly_hook; echo "$WHERE"; cd inner; __poly_hook; echo "$WHERE"; cd /; __poly_hook; echo "$WHERE"`,
      );
      assert.deepEqual(out, ['global', 'outer', 'inner', 'global']);
    });

    it(`${shell}: restores an unexported variable unexported and an unset one unset`, () => {
      const exported =
        shell === 'bash'
          ? `[[ \${SHADOW@a} == *x* ]] && echo exported || echo local`
          : `[[ \${(t)SHADOW} == *export* ]] && echo exported || echo local`;
      const out = run(
        shell,
        `rm -f '${box.configDir}/poly.toml.off'; SHADOW='mine'; unset WHERE; cd '${project}'; __poly_hook; echo "$SHADOW"; ${exported}; cd '${box.dir}'; mv '${box.configDir}/poly.toml' '${box.configDir}/poly.toml.off'; __poly_hook; echo "$SHADOW"; ${exported}; echo "\${WHERE-unset}"; mv '${box.configDir}/poly.toml.off' '${box.configDir}/poly.toml'`,
      );
      assert.deepEqual(out, ['poly', 'exported', 'mine', 'local', 'unset']);
    });

    it(`${shell}: deleting poly.toml while inside restores at the next prompt`, () => {
      const gone = box.project(`gone-${shell}`, '[env]\nGONE = "here"\n');
      const out = run(
        shell,
        `mv '${box.configDir}/poly.toml' '${box.configDir}/p.off'; cd '${gone}'; __poly_hook; echo "\${GONE-unset}"; rm poly.toml; __poly_hook; echo "\${GONE-unset}"; mv '${box.configDir}/p.off' '${box.configDir}/poly.toml'`,
      );
      assert.deepEqual(out, ['here', 'unset']);
    });
  }

  it('takes only its own block out of a PATH changed while inside (bash, zsh, fish)', () => {
    const bin = box.project('pathy', `[runtimes]\nnode = "${box.seeded.node}"\n`);
    for (const shell of ['bash', 'zsh'] as const) {
      const out = run(
        shell,
        `OLD=$PATH; cd '${bin}'; __poly_hook; PATH=/front:$PATH:/back; cd /; __poly_hook; [[ $PATH == "/front:$OLD:/back" ]] && echo same || echo "$PATH"`,
      );
      assert.deepEqual(out.slice(-1), ['same'], shell);
    }
    const fish = spawnSync(
      'fish',
      [
        '--no-config',
        '-c',
        `'${process.execPath}' '${POLY_BIN}' activate fish | source; set -l old "$PATH"; cd '${bin}'; __poly_hook; set -gx PATH /front $PATH /back; cd /; __poly_hook; test "$PATH" = "/front:$old:/back"; and echo same; or echo "$PATH"`,
      ],
      { cwd: box.dir, env: box.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    assert.equal(fish.stdout.trim().split('\n').pop(), 'same', fish.stderr);
  });
});
