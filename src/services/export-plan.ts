import { resolve } from 'node:path';
import { withDatabaseVariables } from '../core/databases/prepare.js';
import type { ServiceEndpoint } from '../core/docker/service-urls.js';
import { envFileDefinitions } from '../core/env/dotenv.js';
import { PolyError } from '../core/errors.js';
import {
  AUTO_CONTAINER_PORT,
  builtImageName,
  type ExportedService,
  type ExportPlan,
  exportName,
  type ImageSource,
} from '../core/export/plan.js';
import type { Manifest, ServiceSpec } from '../core/manifest/types.js';
import { exportedDatabase } from './export-database.js';
import { exportedServiceEnvironment } from './export-env.js';

function imageSource(manifest: Manifest, spec: ServiceSpec): ImageSource {
  if (spec.image) return { kind: 'image', image: spec.image };
  if (spec.database) return { kind: 'image', image: exportedDatabase(manifest, spec.database).image };
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
 * manifest (the same services, env, health and dependencies `poly up` plans). Pure.
 */
export function exportPlan(manifest: Manifest): ExportPlan {
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
      source: imageSource(manifest, spec),
      ...(port !== undefined ? { port } : {}),
      portIsFixed: typeof spec.port === 'number',
      env: {
        ...(spec.database ? exportedDatabase(manifest, spec.database).env : {}),
        ...exportedServiceEnvironment(manifest, spec, exportName(spec.name), endpoints),
      },
      ...(spec.health ? { health: spec.health } : {}),
      healthTiming: spec.healthTiming,
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
      ...secretNamesOf(manifest, spec),
    };
  });
  return { project: exportName(manifest.project.name), projectEnv: { ...manifest.env }, services };
}

/** The names the service's secret env_files define (`{ path, secret = true }`), sorted. */
function secretNamesOf(manifest: Manifest, spec: ServiceSpec): { secretNames?: string[] } {
  const files = [...(manifest.project.envFiles ?? []), ...(spec.envFiles ?? [])].filter((f) => f.secret);
  if (files.length === 0) return {};
  const names = new Set(envFileDefinitions(files, process.env, `services.${spec.name}`).map((d) => d.name));
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
