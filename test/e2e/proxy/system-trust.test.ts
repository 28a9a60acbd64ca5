import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { caNickname } from '../../../src/core/proxy/trust-stores.js';
import { POLY_BIN } from '../../helpers/poly-cli.js';
import { type ProxyBox, proxyBox, type RunningProxy, startProxy } from '../../helpers/proxy-fixture.js';

const execFileAsync = promisify(execFile);

const CA_FOLDER = '/usr/local/share/ca-certificates';
const BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * Why the test cannot run here, or '' when it can: the system store belongs to
 * the whole (shared) machine, so the test changes it only inside a mount
 * namespace of its own, which takes root.
 */
function unavailable(): string {
  if (process.platform !== 'linux') return 'the system-store test is for Linux';
  if (process.getuid?.() !== 0) return 'a private mount namespace (unshare --mount) needs root';
  for (const tool of [
    '/usr/bin/unshare',
    '/usr/bin/nsenter',
    '/usr/sbin/update-ca-certificates',
    '/usr/bin/curl',
  ])
    if (!existsSync(tool)) return `${tool} is not installed`;
  return '';
}
const missing = unavailable();
if (missing && process.env.CI === 'true') throw new Error(`${missing}: scripts/setup-machine.sh sets it up`);
if (missing) process.stdout.write(`# skipping the system-store trust test: ${missing}\n`);

/**
 * Holds a mount namespace where /etc/ssl, /etc/ca-certificates.conf and the
 * local CA folder are private copies: update-ca-certificates inside it
 * rewrites only those copies. Mounts are private (unshare's default), so
 * nothing propagates back to the machine.
 */
const NAMESPACE = `
set -eu
copies=$1
cp -a /etc/ssl "$copies/ssl"
cp -a /etc/ca-certificates.conf "$copies/ca-certificates.conf"
cp -a /usr/local/share/ca-certificates "$copies/local-ca"
mount --bind "$copies/ssl" /etc/ssl
mount --bind "$copies/ca-certificates.conf" /etc/ca-certificates.conf
mount --bind "$copies/local-ca" /usr/local/share/ca-certificates
echo ready
exec sleep 600
`;

function holdNamespace(copies: string): Promise<ChildProcess> {
  const child = spawn(
    'unshare',
    ['--mount', '--propagation', 'private', '--', 'bash', '-c', NAMESPACE, 'ns', copies],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the namespace did not set up (exit ${code}): ${err}`)));
  });
}

describe('poly trust: the system store (inside a private mount namespace)', {
  skip: missing || false,
}, () => {
  let box: ProxyBox;
  let proxy: RunningProxy;
  let ns: ChildProcess;
  let caPem: string;
  let storeFile: string;
  before(async () => {
    // Nobody publishes to this proxy: it must not stop for idleness while the steps run.
    box = await proxyBox({ POLY_TRUST_STORES: 'system', POLY_PROXY_IDLE_MS: '600000' });
    proxy = await startProxy(box);
    ns = await holdNamespace(box.dir);
    caPem = readFileSync(join(box.env.POLY_HOME as string, 'proxy', 'ca', 'poly-local-ca.pem'), 'utf8');
    storeFile = join(CA_FOLDER, `${caNickname(caPem).replace(/\s+/g, '-').toLowerCase()}.crt`);
  });
  after(async () => {
    ns?.kill('SIGKILL');
    await proxy?.stop();
    box?.cleanup();
  });

  /** A command inside the namespace; never throws, so a failing curl can be asserted on. */
  const inside = async (argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await execFileAsync('nsenter', ['-t', String(ns.pid), '-m', '--', ...argv], {
        env: box.env,
        timeout: 120_000,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return {
        code: typeof e.code === 'number' ? e.code : 1,
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? '',
      };
    }
  };
  /** curl with the system store only: no --cacert, no -k. */
  const curlSystem = () =>
    inside([
      'curl',
      '-sS',
      '--max-time',
      '20',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      `https://web.shop.localhost:${box.httpsPort}/`,
    ]);
  const caBody = () => caPem.replace(/-----[A-Z ]+-----/g, '').trim();

  it('curl does not trust a proxy name before `poly trust`', async () => {
    const run = await curlSystem();
    assert.equal(run.code, 60, `curl should refuse the certificate: ${run.stderr}`);
  });

  it('`poly trust` (as root, no sudo) copies the CA into the store and rebuilds the bundle; curl then trusts the name', async () => {
    const run = await inside([process.execPath, POLY_BIN, 'trust']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        `Trusting ${caNickname(caPem)} (${join(box.env.POLY_HOME as string, 'proxy', 'ca', 'poly-local-ca.pem')})`,
        `  ok   system store (update-ca-certificates): copy the CA to ${storeFile}`,
        '  ok   system store (update-ca-certificates): rebuild /etc/ssl/certs',
        '',
      ].join('\n'),
    );
    assert.equal((await inside(['cat', storeFile])).stdout, caPem);
    assert.ok(
      (await inside(['cat', BUNDLE])).stdout.includes(caBody().slice(0, 200)),
      'the bundle holds the CA',
    );
    // poly's page for a name no project has (404), over a certificate curl verified.
    const curl = await curlSystem();
    assert.deepEqual([curl.code, curl.stdout], [0, '404'], curl.stderr);
    // The machine itself never saw it.
    assert.equal(existsSync(storeFile), false);
    assert.equal(readFileSync(BUNDLE, 'utf8').includes(caBody().slice(0, 200)), false);
  });

  it('`poly trust --uninstall` removes it from the store and the bundle; curl refuses again', async () => {
    const run = await inside([process.execPath, POLY_BIN, 'trust', '--uninstall']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.ok(
      lines.includes(`  ok   system store (update-ca-certificates): remove ${storeFile}`),
      run.stdout,
    );
    assert.ok(
      lines.includes('  ok   system store (update-ca-certificates): rebuild /etc/ssl/certs'),
      run.stdout,
    );
    assert.notEqual((await inside(['test', '-e', storeFile])).code, 0, 'the CA file is gone');
    assert.equal((await inside(['cat', BUNDLE])).stdout.includes(caBody().slice(0, 200)), false);
    assert.equal((await curlSystem()).code, 60);
  });
});
