import type { DatabaseName } from '../src/core/manifest/types.js';
import { postgres } from './postgres.js';
import type { PackageDefinition } from './types.js';

const DEFINITIONS: Record<DatabaseName, PackageDefinition> = { postgres };

export function getPackage(name: DatabaseName): PackageDefinition {
  return DEFINITIONS[name];
}
