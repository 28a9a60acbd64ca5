import { join } from 'node:path';
import { getPackage } from '../../../packages/index.js';
import { currentPlatform } from '../../../runtimes/types.js';
import { type ServiceEndpoint, type Side, serviceHost, servicePort } from '../docker/service-urls.js';
import { PolyError } from '../errors.js';
import type { DatabaseSpec, Manifest, ServiceSpec } from '../manifest/types.js';
import { storeLayout } from '../store/layout.js';
import { ensurePackage } from './install-package.js';
import { type DatabaseCredentials, databasePeerEnv } from './peer-env.js';
import { databaseCredentials, preparePostgres } from './postgres-recipe.js';

/** A database service as `poly up` runs it: what peers need to log in. */
export interface PreparedDatabase {
  service: string;
  /** The URL scheme of its connection string. */
  scheme: string;
  credentials: DatabaseCredentials;
  /** "postgres@16.4.0", for `poly ps`. */
  label: string;
}

export type DatabaseServiceSpec = ServiceSpec & { database: DatabaseSpec };

export function isDatabaseService(spec: ServiceSpec): spec is DatabaseServiceSpec {
  return spec.database !== undefined;
}

/**
 * Installs and initialises every database service among `specs` and returns
 * the specs as the supervisor runs them (run, port, health filled in by each
 * database's recipe); other services pass through unchanged.
 */
export async function prepareDatabases(
  manifest: Manifest,
  specs: ServiceSpec[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ specs: ServiceSpec[]; databases: Record<string, PreparedDatabase> }> {
  const databases: Record<string, PreparedDatabase> = {};
  const out: ServiceSpec[] = [];
  for (const spec of specs) {
    if (!isDatabaseService(spec)) {
      out.push(spec);
      continue;
    }
    if (spec.run) {
      // Already prepared: a running service `poly up -d <other>` leaves as it is.
      databases[spec.name] = {
        service: spec.name,
        scheme: 'postgres',
        credentials: databaseCredentials(manifest, spec.database),
        label: `${spec.database.name}@${spec.database.spec}`,
      };
      out.push(spec);
      continue;
    }
    if (spec.mode === 'container')
      throw new PolyError(
        'DB_CONTAINER_UNSUPPORTED',
        `services.${spec.name}: ${spec.database.name} in container mode is not supported yet`,
        {
          hint: `Run it natively (remove mode = "container"), or use image = "${spec.database.name}:${spec.database.spec}" with its own env.`,
        },
      );
    const platform = currentPlatform();
    if (!platform)
      throw new PolyError(
        'PLATFORM_UNSUPPORTED',
        `${spec.database.name} has no build for ${process.platform}-${process.arch}`,
      );
    const installed = await ensurePackage(getPackage(spec.database.name), spec.database.spec, {
      layout: storeLayout(env),
      env,
      root: manifest.root,
      platform,
    });
    const prepared = await preparePostgres(manifest, spec, join(installed.dir, 'bin'));
    out.push(prepared.spec);
    databases[spec.name] = {
      service: spec.name,
      scheme: 'postgres',
      credentials: prepared.credentials,
      label: `${spec.database.name}@${installed.version}`,
    };
  }
  return { specs: out, databases };
}

/**
 * What one peer sees for every database service: the database's own
 * variables replace the generic http URL of peerEnv(). `reach` gives the host
 * and port the peer uses for a service (see docker/service-urls.ts).
 */
export function databasePeers(
  databases: Record<string, PreparedDatabase>,
  self: string,
  reach: (service: string) => { host: string; port: number } | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const db of Object.values(databases)) {
    if (db.service === self) continue;
    const at = reach(db.service);
    if (at) Object.assign(env, databasePeerEnv(db.service, db.scheme, db.credentials, at.host, at.port));
  }
  return env;
}

/** How a service on `side` reaches each of the others (the `reach` of databasePeers). */
export function reachFrom(endpoints: readonly ServiceEndpoint[], side: Side) {
  return (service: string) => {
    const e = endpoints.find((x) => x.name === service);
    return e && { host: serviceHost(e, side), port: servicePort(e, side) };
  };
}
