import { join } from 'node:path';
import { getPackage } from '../../../packages/index.js';
import type { PolyContext } from '../context.js';
import { serviceEnvName } from '../docker/service-urls.js';
import type { PeerEndpoint } from '../env/service-env/peers.js';
import { PolyError } from '../errors.js';
import type { DatabaseSpec, Manifest, ServiceSpec } from '../manifest/types.js';
import { prepareDatabaseContainer } from './container-recipe.js';
import { ensurePackage } from './install-package.js';
import { prepareMariadb } from './mariadb-recipe.js';
import { databasePeerEnv, redisPeerEnv } from './peer-env.js';
import { databaseCredentials, preparePostgres } from './postgres-recipe.js';
import { prepareValkey } from './valkey-recipe.js';

/** A database service as `poly up` runs it. */
export interface PreparedDatabase {
  service: string;
  /** "postgres@16.4.0", for `poly ps`. */
  label: string;
}

export type DatabaseServiceSpec = ServiceSpec & { database: DatabaseSpec };

export function isDatabaseService(spec: ServiceSpec): spec is DatabaseServiceSpec {
  return spec.database !== undefined;
}

/**
 * What a peer sees for one database service, reached at host:port: the
 * connection string its ecosystem expects as <NAME>_URL, and its parts.
 * This is the seam for the service-environment pipeline: one pure function per database.
 */
export function databaseServicePeerEnv(
  manifest: Pick<Manifest, 'project'>,
  spec: DatabaseServiceSpec,
  host: string,
  port: number,
): Record<string, string> {
  if (spec.database.name === 'postgres' || spec.database.name === 'mariadb') {
    const scheme = spec.database.name === 'mariadb' ? 'mysql' : 'postgres';
    return databasePeerEnv(spec.name, scheme, databaseCredentials(manifest, spec.database), host, port);
  }
  return redisPeerEnv(spec.name, spec.database.password, host, port);
}

/**
 * Installs and initialises every database service among `specs` and returns
 * the specs as the supervisor runs them (run, port, health filled in by each
 * database's recipe); other services pass through unchanged.
 */
export async function prepareDatabases(
  manifest: Manifest,
  specs: ServiceSpec[],
  ctx: PolyContext,
): Promise<{ specs: ServiceSpec[]; databases: Record<string, PreparedDatabase> }> {
  const databases: Record<string, PreparedDatabase> = {};
  const out: ServiceSpec[] = [];
  for (const spec of specs) {
    if (!isDatabaseService(spec)) {
      out.push(spec);
      continue;
    }
    if (spec.run || spec.image) {
      // Already prepared: a running service `poly up -d <other>` leaves as it is.
      databases[spec.name] = { service: spec.name, label: `${spec.database.name}@${spec.database.spec}` };
      out.push(spec);
      continue;
    }
    if (spec.mode === 'container') {
      const prepared = prepareDatabaseContainer(manifest, spec, ctx.env);
      out.push(prepared);
      databases[spec.name] = {
        service: spec.name,
        label: `${spec.database.name}@${spec.database.spec} (${prepared.image})`,
      };
      continue;
    }
    const { platform } = ctx;
    if (!platform)
      throw new PolyError(
        'PLATFORM_UNSUPPORTED',
        `${spec.database.name} has no build for ${ctx.host.os}-${ctx.host.arch}`,
      );
    const def = getPackage(spec.database.name);
    const installed = await ensurePackage(
      def,
      spec.database.spec,
      { layout: ctx.layout, env: ctx.env, root: manifest.root, platform },
      spec.database.name,
    );
    const binDir = join(installed.dir, 'bin');
    out.push(
      spec.database.name === 'postgres'
        ? (await preparePostgres(manifest, spec, binDir, ctx.host.os)).spec
        : spec.database.name === 'mariadb'
          ? await prepareMariadb(manifest, spec, installed.dir)
          : prepareValkey(manifest, spec, binDir),
    );
    databases[spec.name] = { service: spec.name, label: `${spec.database.name}@${installed.version}` };
  }
  return { specs: out, databases };
}

/**
 * The endpoints, with each database service's own variables attached: the
 * connection string its ecosystem expects replaces the generic http `_URL`,
 * from the address of whichever side reads it (the pipeline's seam, PeerEndpoint.variables).
 */
export function withDatabaseVariables(
  manifest: Pick<Manifest, 'project'>,
  specs: readonly ServiceSpec[],
  endpoints: readonly PeerEndpoint[],
): PeerEndpoint[] {
  return endpoints.map((endpoint) => {
    const spec = specs.find((s) => s.name === endpoint.name);
    if (!spec || !isDatabaseService(spec)) return endpoint;
    const prefix = `${serviceEnvName(endpoint.name)}_`;
    return {
      ...endpoint,
      variables: (at) =>
        Object.fromEntries(
          Object.entries(databaseServicePeerEnv(manifest, spec, at.host, at.port)).map(([k, v]) => [
            k.slice(prefix.length),
            v,
          ]),
        ),
    };
  });
}
