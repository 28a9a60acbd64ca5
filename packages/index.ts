import type { DatabaseName } from '../src/core/manifest/types.js';
import { mariadb } from './mariadb.js';
import { postgres } from './postgres.js';
import type { PackageDefinition } from './types.js';
import { valkey } from './valkey.js';

/** Redis publishes no binaries; Valkey, its compatible fork, stands in for `redis@7`. */
const DEFINITIONS: Record<DatabaseName, PackageDefinition> = { postgres, redis: valkey, valkey, mariadb };

export function getPackage(name: DatabaseName): PackageDefinition {
  return DEFINITIONS[name];
}
