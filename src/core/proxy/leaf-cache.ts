import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalCa } from './ca.js';
import { createLeafCertificate, parseCertificate, privateKeyPem } from './x509.js';

/** Leaves are short-lived (a stolen one is soon worthless) and re-issued a day before they end. */
export const LEAF_DAYS = 7;
const RENEW_BEFORE_MS = 86_400_000;

export interface Leaf {
  /** Private key and certificate, PEM, for tls.createSecureContext. */
  keyPem: string;
  certPem: string;
  notAfter: Date;
}

/** A host name poly issues certificates for: lower-case DNS labels under `localhost`. */
export function isLocalName(name: string): boolean {
  return (
    name.length <= 253 &&
    (name === 'localhost' || name.endsWith('.localhost')) &&
    name.split('.').every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label))
  );
}

/**
 * Leaf certificates per host name, issued on first use and kept in memory and
 * on disk (`<leaves>/<name>.pem`, mode 0600). A cached leaf is used while it
 * is valid for more than a day and was signed by the current CA.
 */
export class LeafCache {
  private readonly memory = new Map<string, Promise<Leaf>>();

  constructor(
    private readonly ca: LocalCa,
    private readonly dir: string,
  ) {}

  get(name: string): Promise<Leaf> {
    if (!isLocalName(name)) return Promise.reject(new Error(`not a local name: ${JSON.stringify(name)}`));
    const known = this.memory.get(name);
    const fresh = (leaf: Leaf) => leaf.notAfter.getTime() - Date.now() > RENEW_BEFORE_MS;
    if (known) {
      return known.then((leaf) => (fresh(leaf) ? leaf : this.load(name, fresh)));
    }
    return this.load(name, fresh);
  }

  private load(name: string, fresh: (leaf: Leaf) => boolean): Promise<Leaf> {
    const pending = this.fromDisk(name)
      .then((leaf) => (leaf && fresh(leaf) ? leaf : this.issue(name)))
      .catch((err) => {
        this.memory.delete(name);
        throw err;
      });
    this.memory.set(name, pending);
    return pending;
  }

  private async fromDisk(name: string): Promise<Leaf | undefined> {
    let text: string;
    try {
      text = readFileSync(this.file(name), 'utf8');
    } catch {
      return undefined;
    }
    const keyPem = text.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/)?.[0];
    const certPem = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/)?.[0];
    if (!keyPem || !certPem) return undefined;
    try {
      const cert = parseCertificate(certPem);
      // A leaf of an earlier CA (the store's CA was replaced) is not trusted by anyone: issue again.
      if (!(await cert.verify({ publicKey: this.ca.cert.publicKey, signatureOnly: true }))) return undefined;
      return { keyPem, certPem, notAfter: cert.notAfter };
    } catch {
      return undefined;
    }
  }

  private async issue(name: string): Promise<Leaf> {
    const { cert, keys } = await createLeafCertificate(this.ca, [name], LEAF_DAYS);
    const keyPem = await privateKeyPem(keys.privateKey);
    const certPem = cert.toString('pem');
    this.write(name, `${keyPem}${certPem}\n`);
    return { keyPem, certPem: `${certPem}\n`, notAfter: cert.notAfter };
  }

  /** Atomically, created 0600: the file holds a private key from its first byte. */
  private write(name: string, text: string): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = join(this.dir, `.${randomBytes(6).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, this.file(name));
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  private file(name: string): string {
    return join(this.dir, `${name}.pem`);
  }
}
