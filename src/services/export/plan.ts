import { resolve } from 'node:path';
import { databaseImageOverride } from '../../core/databases/official-image.js';
import { withDatabaseVariables } from '../../core/databases/prepare.js';
import type { ServiceEndpoint } from '../../core/docker/service-urls.js';
import { envFileDefinitions } from '../../core/env/dotenv.js';
import { PolyError } from '../../core/errors.js';
import {
  AUTO_CONTAINER_PORT,
  builtImageName,
  type ExportedService,
  type ExportPlan,
  exportName,
  type ImageSource,
} from '../../core/export/plan.js';
import type { HealthTiming, Manifest, ServiceSpec } from '../../core/manifest/types.js';
import { exportedDatabase } from './database.js';
import { exportedServiceEnvironment } from './env.js';

function imageSource(manifest: Manifest, spec: ServiceSpec, env: NodeJS.ProcessEnv): ImageSource {
  if (spec.image) return { kind: 'image', image: spec.image };
  // POLY_POSTGRES_IMAGE & co. (a copy in a company registry): the image container mode runs, exported too.
  if (spec.database)
    return {
      kind: 'image',
      image: databaseImageOverride(spec.database, env) ?? exportedDatabase(manifest, spec.database).image,
    };
  const image = builtImageName(manifest.project.name, spec.name);
  if (spec.build) return { kind: 'build', dockerfile: resolve(manifest.root, spec.build), image };
  if (!spec.runtime)
    throw new PolyError(
      'EXPORT_NO_IMAGE',
      `${manifest.file}: services.${spec.name} has no image, build or runtime, so there is no image to export it with`,
      {
        hint: `Add runtime = "<node|python|go|java|rust>", image = "..." or build = "<Dockerfile>" to [services.${spec.name}].`,
      },
    );
  return { kind: 'runtime', image };
}

/** The port a service listens on in its container: its own, or AUTO_CONTAINER_PORT for "auto". */
function containerPort(manifest: Manifest, spec: ServiceSpec): number | undefined {
  // A database listens on its image's own port; poly.toml's port is the one on this machine.
  if (spec.database) return exportedDatabase(manifest, spec.database).port;
  if (spec.port === undefined) return undefined;
  return spec.port === 'auto' ? AUTO_CONTAINER_PORT : spec.port;
}

/**
 * Every service of poly.toml as it runs on an orchestrator: each in its own
 * container on one network, reaching the others by name. Reads only the
 * manifest (the same services, env, health and dependencies `poly up` plans),
 * and from `env` only the database image overrides.
 */
export function exportPlan(manifest: Manifest, env: NodeJS.ProcessEnv): ExportPlan {
  const specs = Object.values(manifest.services);
  refuseNameClashes(manifest, specs);
  const peers: ServiceEndpoint[] = [];
  for (const s of specs) {
    const port = containerPort(manifest, s);
    if (port !== undefined)
      peers.push({ name: exportName(s.name), mode: 'container', hostPort: port, containerPort: port });
  }
  // Database peers see their connection string (postgres://…@db:5432/shop), as under poly up.
  const endpoints = withDatabaseVariables(
    manifest,
    specs.map((s) => ({ ...s, name: exportName(s.name) })),
    peers,
  );
  const services = specs.map((spec): ExportedService => {
    const port = containerPort(manifest, spec);
    return {
      name: exportName(spec.name),
      source: imageSource(manifest, spec, env),
      ...(port !== undefined ? { port } : {}),
      portIsFixed: typeof spec.port === 'number',
      env: {
        ...(spec.database ? exportedDatabase(manifest, spec.database).env : {}),
        ...exportedServiceEnvironment(manifest, spec, exportName(spec.name), endpoints, env),
      },
      ...(spec.health ? { health: spec.health } : {}),
      healthTiming: exportedTiming(spec),
      dependsOn: spec.dependsOn.map(exportName),
      restart: spec.restart,
      stopTimeoutMs: spec.stopTimeout,
      ...(spec.deploy ? { deploy: spec.deploy } : {}),
      ...(spec.database
        ? {
            data: {
              volume: `${exportName(spec.name)}-data`,
              path: exportedDatabase(manifest, spec.database).dataPath,
            },
          }
        : {}),
      ...secretNamesOf(manifest, spec, env),
    };
  });
  return { project: exportName(manifest.project.name), projectEnv: { ...manifest.env }, services };
}

/**
 * A database's first start initialises its data in the image's entrypoint (initdb, the MariaDB
 * bootstrap) before it listens: slower than a check's default window (interval x retries) on a
 * loaded host, and Swarm kills a task whose checks fail in it. Checks during the window still end it
 * as soon as one passes, so it costs nothing when the database is quick. A start_period the user set wins.
 */
const DATABASE_START_WINDOW_MS = 120_000;

function exportedTiming(spec: ServiceSpec): HealthTiming {
  if (!spec.database || spec.healthTiming.startPeriod !== undefined) return spec.healthTiming;
  return { ...spec.healthTiming, startPeriod: DATABASE_START_WINDOW_MS };
}

/** The names the service's secret env_files define (`{ path, secret = true }`), sorted. */
function secretNamesOf(
  manifest: Manifest,
  spec: ServiceSpec,
  env: NodeJS.ProcessEnv,
): { secretNames?: string[] } {
  const files = [...(manifest.project.envFiles ?? []), ...(spec.envFiles ?? [])].filter((f) => f.secret);
  if (files.length === 0) return {};
  const names = new Set(envFileDefinitions(files, env, `services.${spec.name}`).map((d) => d.name));
  return names.size > 0 ? { secretNames: [...names].sort() } : {};
}

/** "my_api" and "my-api" are one name on a network and in Kubernetes: refuse rather than merge them. */
function refuseNameClashes(manifest: Manifest, specs: readonly ServiceSpec[]): void {
  const seen = new Map<string, string>();
  for (const s of specs) {
    const name = exportName(s.name);
    const other = seen.get(name);
    if (other)
      throw new PolyError(
        'EXPORT_NAME_CLASH',
        `${manifest.file}: services.${other} and services.${s.name} both become "${name}" when exported`,
        { hint: `Rename one of them (names differing only in "_" and "-" clash on a network).` },
      );
    seen.set(name, s.name);
  }
}
