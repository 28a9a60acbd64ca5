import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The server's certificate and key, in its data folder (a snapshot carries them along). */
export interface MariadbTls {
  cert: string;
  key: string;
}

const CERT = 'poly-tls-cert.pem';
const KEY = 'poly-tls-key.pem';

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per data
 * folder. Without one, mariadbd 11.4+ makes a new one at every start (2 s on
 * an idle machine, 27 s under load here, past the health check's wait), and
 * with TLS off its own 11.4+ client refuses to connect ("SSL is required").
 * 11.4+ clients accept a self-signed certificate by checking it against the
 * password; older clients do not check it at all. The key is written 0600,
 * each file under a temp name first, so a half-written pair is never used.
 */
export async function ensureMariadbTls(dataDir: string): Promise<MariadbTls> {
  const tls = { cert: join(dataDir, CERT), key: join(dataDir, KEY) };
  if (existsSync(tls.cert) && existsSync(tls.key)) return tls;
  // Loaded only here: @peculiar/x509 is heavy, and a data folder needs it once.
  const { generateKeys, privateKeyPem, x509Module, KEY_ALGORITHM } = await import('../proxy/x509.js');
  const lib = x509Module();
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await lib.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: [{ CN: ['localhost'] }, { O: ['poly local development'] }],
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 3650 * 86_400_000),
    signingAlgorithm: KEY_ALGORITHM,
    keys,
    extensions: [
      new lib.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
    ],
  });
  writeFileSync(`${tls.key}.tmp`, await privateKeyPem(keys.privateKey), { mode: 0o600 });
  writeFileSync(`${tls.cert}.tmp`, `${cert.toString('pem')}\n`);
  renameSync(`${tls.key}.tmp`, tls.key);
  renameSync(`${tls.cert}.tmp`, tls.cert);
  return tls;
}
