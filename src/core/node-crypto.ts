import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * node:crypto, loaded on first use. A static import of it compiles some twenty of Node's
 * internal modules at every start (16 M instructions, 3% of a whole `node -e 0`, counted with
 * callgrind), and the cold commands that import the layout or the atomic writer rarely hash.
 */
export function nodeCrypto(): typeof Crypto {
  return createRequire(import.meta.url)('node:crypto') as typeof Crypto;
}
