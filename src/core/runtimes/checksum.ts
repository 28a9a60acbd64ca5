import { createHash, type Hash } from 'node:crypto';
import { PolyError } from '../errors.js';

/** A running hash for a `sha256:<hex>`, `sha1:<hex>` or SRI `sha512-<base64>` checksum. */
export function createChecksum(checksum: string): { hash: Hash; digest: () => string } {
  if (checksum.startsWith('sha256:')) {
    const hash = createHash('sha256');
    return { hash, digest: () => `sha256:${hash.digest('hex')}` };
  }
  if (checksum.startsWith('sha1:')) {
    // Maven repositories publish sha1 for every artifact (sha256 only for some).
    const hash = createHash('sha1');
    return { hash, digest: () => `sha1:${hash.digest('hex')}` };
  }
  if (checksum.startsWith('sha512-')) {
    const hash = createHash('sha512');
    return { hash, digest: () => `sha512-${hash.digest('base64')}` };
  }
  throw new PolyError('CHECKSUM_UNKNOWN', `unsupported checksum format: ${checksum.slice(0, 16)}…`);
}
