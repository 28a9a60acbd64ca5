import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { POLY_BIN, tempHome } from '../helpers/poly-cli.js';

/**
 * `poly init` in a real terminal: util-linux `script` gives the CLI a pty, so
 * the Ink picker runs exactly as for a user. Keys are sent only once the
 * picker is on screen, so a slow machine cannot make the test flaky.
 */
describe('poly init in a terminal', () => {
  const home = tempHome();
  after(home.cleanup);

  const skip = !existsSync('/usr/bin/script') && 'util-linux script is not installed';
  it('shows the runtimes and services it found and writes only the chosen ones', {
    skip,
    timeout: 60_000,
  }, async (t) => {
    const dir = join(home.dir, 'tty');
    mkdirSync(dir);
    writeFileSync(join(dir, '.nvmrc'), '22\n');
    writeFileSync(join(dir, '.python-version'), '3.12\n');
    writeFileSync(join(dir, '.go-version'), '1.23.2\n');
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web', 'package.json'), JSON.stringify({ scripts: { start: 'node server.js' } }));
    mkdirSync(join(dir, 'admin'));
    writeFileSync(join(dir, 'admin', 'package.json'), JSON.stringify({ scripts: { dev: 'vite' } }));

    // script's pty starts with no size: give it one, or Ink wraps every character.
    const command = `stty cols 100; '${process.execPath}' '${POLY_BIN}' init`;
    // No CI variable at all: Ink (like poly) treats even CI="" as CI and would not draw frames.
    const { CI: _ci, ...rest } = process.env;
    const terminalEnv = { ...rest, ...home.env, TERM: 'xterm' };
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: dir,
      env: terminalEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Never leave the CLI behind when an assertion fails.
    t.after(() => child.kill('SIGKILL'));
    const until = async (text: string) => {
      const deadline = Date.now() + 30_000;
      while (!screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').includes(text)) {
        if (Date.now() > deadline) assert.fail(`no "${text}" on screen:\n${screen}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    // One key per write, each after the screen answered: Ink reads a chunk as one input.
    await until('What should go into poly.toml?');
    child.stdin.write('j');
    await until('> [x] python 3.12');
    child.stdin.write(' ');
    await until('> [ ] python 3.12');
    // Services come after the runtimes, each with the file it was found in.
    await until('Services');
    await until('from admin/package.json');
    child.stdin.write('j');
    await until('> [x] go 1.23.2');
    child.stdin.write('j');
    await until('> [x] admin');
    child.stdin.write(' ');
    await until('> [ ] admin');
    child.stdin.write('\r');
    assert.equal(await exited, 0, screen);

    const text = readFileSync(join(dir, 'poly.toml'), 'utf8');
    assert.match(text, /^node = "22" +# from \.nvmrc$/m);
    assert.match(text, /^go = "1\.23\.2" +# from \.go-version$/m);
    assert.doesNotMatch(text, /^python =/m);
    assert.doesNotMatch(text, /\[services\.admin\]/);
    assert.match(
      text,
      /^\[services\.web\] +# from web\/package\.json\npath = "web"\nruntime = "node"\nrun = "npm start"$/m,
    );
  });
});
