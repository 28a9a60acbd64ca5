import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProxyLayout } from '../store/layout.js';
import {
  type CryptoKey,
  createCaCertificate,
  importPrivateKey,
  parseCertificate,
  privateKeyPem,
} from './x509.js';

/** Ten years, like mkcert: the CA is trusted once; what it signs is short-lived and name-constrained. */
const CA_DAYS = 3650;

export interface LocalCa {
  certPem: string;
  cert: ReturnType<typeof parseCertificate>;
  key: CryptoKey;
}

/**
 * The machine's local CA, created on first use. The key is written with mode
 * 0600 in a 0700 folder and is only ever read by this process. Two processes
 * creating it at once: each writes a folder of its own and renames it into
 * place; the loser's rename fails and it reads the winner's.
 */
export async function ensureLocalCa(paths: ProxyLayout, env: NodeJS.ProcessEnv): Promise<LocalCa> {
  if (!existsSync(paths.caCert)) await createCaFiles(paths, env);
  return readLocalCa(paths);
}

export async function readLocalCa(paths: ProxyLayout): Promise<LocalCa> {
  const certPem = readFileSync(paths.caCert, 'utf8');
  const key = await importPrivateKey(readFileSync(paths.caKey, 'utf8'));
  return { certPem, cert: parseCertificate(certPem), key };
}

async function createCaFiles(paths: ProxyLayout, env: NodeJS.ProcessEnv): Promise<void> {
  const caDir = dirname(paths.caCert);
  mkdirSync(dirname(caDir), { recursive: true, mode: 0o700 });
  const { cert, keys } = await createCaCertificate(`poly local CA (${hostLabel(env)})`, CA_DAYS);
  const staging = join(dirname(caDir), `.ca-${randomBytes(6).toString('hex')}`);
  mkdirSync(staging, { mode: 0o700 });
  try {
    writeFileSync(join(staging, baseName(paths.caKey)), await privateKeyPem(keys.privateKey), {
      mode: 0o600,
    });
    writeFileSync(join(staging, baseName(paths.caCert)), cert.toString('pem'), { mode: 0o644 });
    // mkdir's mode is masked by the umask; the key's folder must be the user's alone whatever it is.
    chmodSync(staging, 0o700);
    renameSync(staging, caDir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(paths.caCert)) return;
    throw err;
  }
}

function baseName(file: string): string {
  return file.slice(dirname(file).length + 1);
}

/** Which machine and user a CA belongs to, so a trust store listing tells two apart. */
function hostLabel(env: NodeJS.ProcessEnv): string {
  const user = env.USER ?? env.LOGNAME ?? `uid ${process.getuid?.() ?? '?'}`;
  return `${user}@${env.HOSTNAME ?? 'localhost'}`;
}
