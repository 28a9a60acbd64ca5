// tsyringe (under @peculiar/x509) needs the Reflect metadata polyfill before it loads.
// This module is only imported by the proxy and `poly trust`, so no other command pays for it.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';

/**
 * The certificate maths, on @peculiar/x509 over Node's WebCrypto: keys are made
 * and used in this process (no openssl child, no key on a command line), and
 * the same code runs where the system openssl is LibreSSL (macOS).
 */
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** The names the CA may sign: localhost and everything under it, and loopback addresses. */
const PERMITTED_DNS = 'localhost';
const PERMITTED_IPS = ['127.0.0.0/8', '::1/128'];

export function x509Module(): typeof x509 {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);
  return x509;
}

export interface KeyedCertificate {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

export async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

export async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return webcrypto.subtle.importKey('pkcs8', Buffer.from(body, 'base64'), KEY_ALGORITHM, false, ['sign']);
}

function serialNumber(): string {
  // Positive (high bit clear) and 16 bytes: unique enough that browsers never see two certs with one serial.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

function nameConstraints(): x509.Extension {
  const permitted = new GeneralSubtrees([
    new GeneralSubtree({ base: new GeneralName({ dNSName: PERMITTED_DNS }) }),
    ...PERMITTED_IPS.map((ip) => new GeneralSubtree({ base: new GeneralName({ iPAddress: ip }) })),
  ]);
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: permitted }));
  return new x509.Extension('2.5.29.30', true, value);
}

/** A self-signed CA, limited by name constraints to `localhost` names, valid `days` days. */
export async function createCaCertificate(commonName: string, days: number): Promise<KeyedCertificate> {
  const lib = x509Module();
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await lib.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [commonName] }, { O: ['poly local development'] }],
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + days * 86_400_000),
    signingAlgorithm: KEY_ALGORITHM,
    keys,
    extensions: [
      new lib.BasicConstraintsExtension(true, 0, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign | lib.KeyUsageFlags.cRLSign, true),
      await lib.SubjectKeyIdentifierExtension.create(keys.publicKey),
      nameConstraints(),
    ],
  });
  return { cert, keys };
}

/** A server certificate for `names`, signed by the CA, valid `days` days. */
export async function createLeafCertificate(
  ca: { cert: x509.X509Certificate; key: CryptoKey },
  names: string[],
  days: number,
): Promise<KeyedCertificate> {
  const lib = x509Module();
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await lib.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: [{ CN: [names[0] ?? 'localhost'] }],
    issuer: ca.cert.subjectName,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + days * 86_400_000),
    signingAlgorithm: KEY_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new lib.BasicConstraintsExtension(false, undefined, true),
      new lib.KeyUsagesExtension(lib.KeyUsageFlags.digitalSignature, true),
      new lib.ExtendedKeyUsageExtension([lib.ExtendedKeyUsage.serverAuth]),
      new lib.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value }))),
      await lib.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await lib.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { cert, keys };
}

export function parseCertificate(pem: string): x509.X509Certificate {
  return new (x509Module().X509Certificate)(pem);
}
