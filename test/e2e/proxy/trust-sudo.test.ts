import assert from 'node:assert/strict';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { caNickname } from '../../../src/core/proxy/trust-stores.js';
import { POLY_BIN } from '../../helpers/poly-cli.js';

/** nobody: a user that is not root and has no sudo rights. */
const NOBODY = 65_534;

function unavailable(): string {
  if (process.platform !== 'linux') return 'the sudo-path test is for Linux';
  if (process.getuid?.() !== 0) return 'dropping to another user (setpriv) needs root';
  for (const tool of ['/usr/bin/setpriv', '/usr/bin/script', '/usr/sbin/update-ca-certificates'])
    if (!existsSync(tool)) return `${tool} is not installed`;
  return '';
}
const missing = unavailable();
if (missing && process.env.CI === 'true') throw new Error(`${missing}: scripts/setup-machine.sh sets it up`);
if (missing) process.stdout.write(`# skipping the sudo-path trust test: ${missing}\n`);

/**
 * A stand-in for sudo, which is not installed here and could not be answered
 * by a test if it were (it asks for a password on the terminal): it records
 * its arguments and runs nothing, so the system store stays as it is.
 */
const FAKE_SUDO = '#!/bin/sh\nprintf "%s\\n" "$*" >> "$SUDO_CALLS"\n';

describe('poly trust as a user who is not root: asking before sudo', { skip: missing || false }, () => {
  let dir: string;
  let withSudo: string;
  let withoutSudo: string;
  let calls: string;
  let caFile: string;
  let storeFile: string;
  let env: Record<string, string>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'poly-trust-sudo-'));
    withSudo = join(dir, 'bin-sudo');
    withoutSudo = join(dir, 'bin-plain');
    for (const bin of [withSudo, withoutSudo]) {
      mkdirSync(bin);
      symlinkSync(process.execPath, join(bin, 'node'));
    }
    writeFileSync(join(withSudo, 'sudo'), FAKE_SUDO, { mode: 0o755 });
    calls = join(dir, 'sudo-calls');
    writeFileSync(calls, '');
    chownSync(dir, NOBODY, NOBODY);
    chownSync(calls, NOBODY, NOBODY);
    env = {
      HOME: dir,
      POLY_HOME: join(dir, 'home'),
      POLY_CONFIG_DIR: join(dir, 'config'),
      POLY_TRUST_STORES: 'system',
      NO_COLOR: '1',
      CI: '',
      SUDO_CALLS: calls,
    };
    const path = await asNobody(['trust', '--path'], { PATH: withoutSudo });
    assert.equal(path.exitCode, 0, path.stderr);
    caFile = path.stdout.trim();
    const nickname = caNickname(readFileSync(caFile, 'utf8'));
    storeFile = `/usr/local/share/ca-certificates/${nickname.replace(/\s+/g, '-').toLowerCase()}.crt`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** poly as nobody, no terminal. */
  const asNobody = (args: string[], extra: Record<string, string>) =>
    execa(
      '/usr/bin/setpriv',
      [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'node', POLY_BIN, ...args],
      { env: { ...env, ...extra }, extendEnv: false, reject: false, stdin: 'ignore', cwd: dir },
    );
  /**
   * `poly trust` as nobody on a terminal (script's pty), answering each
   * question once it is asked (each question reads its own line); the
   * terminal's CRLF made LF.
   */
  const onTerminal = async (extra: Record<string, string>, answers: string[]) => {
    const child = execa(
      '/usr/bin/setpriv',
      [
        `--reuid=${NOBODY}`,
        `--regid=${NOBODY}`,
        '--clear-groups',
        '/usr/bin/script',
        '-qec',
        'exec node "$POLY_BIN" trust',
        '/dev/null',
      ],
      { env: { ...env, ...extra, POLY_BIN, TERM: 'dumb' }, extendEnv: false, reject: false, cwd: dir },
    );
    let output = '';
    let asked = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const questions = output.split('[y/N] ').length - 1;
      for (; asked < questions; asked++) child.stdin?.write(`${answers[asked] ?? 'n'}\n`);
    });
    const run = await child;
    return { exitCode: run.exitCode, stdout: String(run.stdout).replace(/\r\n/g, '\n') };
  };
  const sudoCalls = () => readFileSync(calls, 'utf8');
  const copyStep = () => `system store (update-ca-certificates): copy the CA to ${storeFile}`;

  it('without a terminal it runs nothing and says how to do it', async () => {
    const run = await asNobody(['trust'], { PATH: withSudo });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(
      run.stdout.split('\n')[1],
      `  skip ${copyStep()} (needs sudo: run \`poly trust --yes\` in a terminal)`,
    );
    assert.equal(sudoCalls(), '');
  });

  it('on a terminal it asks first, and runs no sudo when the answer is no', async () => {
    const run = await onTerminal({ PATH: withSudo }, ['n']);
    assert.equal(run.exitCode, 0, run.stdout);
    assert.ok(
      run.stdout.includes(`Run with sudo: install -m 0644 ${caFile} ${storeFile}? [y/N] `),
      `the exact question: ${run.stdout}`,
    );
    assert.ok(run.stdout.split('\n').includes(`  skip ${copyStep()} (declined)`), run.stdout);
    assert.equal(sudoCalls(), '');
  });

  it('a yes to each question runs each root step through sudo, as asked', async () => {
    const run = await onTerminal({ PATH: withSudo }, ['y', 'y']);
    assert.equal(run.exitCode, 0, run.stdout);
    assert.ok(run.stdout.includes('Run with sudo: update-ca-certificates? [y/N] '), run.stdout);
    assert.equal(sudoCalls(), `install -m 0644 ${caFile} ${storeFile}\nupdate-ca-certificates\n`);
    writeFileSync(calls, '');
  });

  it('--yes does not ask and runs `sudo -n` (fails rather than prompting for a password)', async () => {
    const run = await asNobody(['trust', '--yes'], { PATH: withSudo });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(sudoCalls(), `-n install -m 0644 ${caFile} ${storeFile}\n-n update-ca-certificates\n`);
    writeFileSync(calls, '');
  });

  it('with no sudo installed it asks nothing and fails naming why', async () => {
    const run = await onTerminal({ PATH: withoutSudo }, ['y']);
    assert.equal(run.exitCode, 1, run.stdout);
    assert.equal(run.stdout.includes('Run with sudo'), false, run.stdout);
    assert.ok(
      run.stdout
        .split('\n')
        .includes(`  FAIL ${copyStep()} (needs root, and sudo is not installed: run \`poly trust\` as root)`),
      run.stdout,
    );
    assert.ok(run.stdout.includes('error: could not install the CA everywhere'), run.stdout);
    const unattended = await asNobody(['trust', '--yes'], { PATH: withoutSudo });
    assert.equal(unattended.exitCode, 1);
    assert.match(unattended.stdout, /\(needs root, and sudo is not installed: run `poly trust` as root\)/);
  });
});
