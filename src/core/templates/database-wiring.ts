import { serviceEnvName } from '../env/service-env/peers.js';
import { EXIT_USAGE, PolyError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import type { TemplateVariant } from './types.js';

/** How a new service of a `--with` variant is joined to its database in poly.toml. */
export interface DatabaseWiring {
  /** The database service the new one depends on. */
  service: string;
  /** Set when the project has no such database: the service poly new adds (`use = "postgres@16"`). */
  added?: { name: string; use: string };
  /** The new service's env: the variant's variable interpolated from the database's `<NAME>_URL`. */
  env: Record<string, string>;
}

/** Names tried, in order, for a database service the project does not have yet. */
const NEW_DATABASE_NAMES = ['db', 'postgres', 'database'];

/**
 * The database a variant's service uses: the project's first service that already
 * runs that database (so two `--with postgres` services share one), else a new
 * `db` service. Pure: nothing is written.
 */
export function wireDatabase(
  manifest: Manifest,
  variant: TemplateVariant,
  newService: string,
): DatabaseWiring {
  const existing = Object.values(manifest.services).find((s) => s.database?.name === variant.family);
  if (existing) return { service: existing.name, env: connection(variant, existing.name) };
  const name = NEW_DATABASE_NAMES.find((n) => n !== newService && !manifest.services[n]);
  if (!name) {
    throw new PolyError(
      'SERVICE_EXISTS',
      `poly.toml already has services named ${NEW_DATABASE_NAMES.join(', ')}, none of them a ${variant.family} database`,
      {
        hint: `Nothing was written. Add a service with use = "${variant.use}" to poly.toml, then run poly new again: it is reused.`,
        exitCode: EXIT_USAGE,
      },
    );
  }
  return { service: name, added: { name, use: variant.use }, env: connection(variant, name) };
}

function connection(variant: TemplateVariant, database: string): Record<string, string> {
  return { [variant.variable]: `\${${serviceEnvName(database)}_URL}` };
}
