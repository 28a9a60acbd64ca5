import { posix } from 'node:path';
import { lineOfService } from './compose-file.js';
import {
  composeEnvFile,
  composeEnvironment,
  composePort,
  healthTestCommand,
  healthTiming,
  httpPathOfTest,
  restartOf,
  shellQuote,
  stopSeconds,
} from './compose-values.js';
import { serviceNameOf } from './names.js';
import { readsPortVariable } from './port-variable.js';
import type { DetectedFolderService } from './service-folders.js';
import type { AdoptionNote, ProposedHealth, ProposedService } from './types.js';

/** Keys of a compose service that init turns into poly.toml keys (the others are reported). */
const HANDLED = new Set([
  'image',
  'build',
  'ports',
  'environment',
  'env_file',
  'depends_on',
  'healthcheck',
  'volumes',
  'command',
  'restart',
  'stop_grace_period',
]);

/** What poly does instead, for compose keys with no equivalent; the rest get a generic line. */
const INSTEAD: Record<string, string> = {
  container_name: 'poly names containers <project>-<service> itself',
  networks: 'poly puts every service of the project on one network, reachable by service name',
  expose: 'containers of the project reach each other on every port already',
  profiles: 'every service is imported; `poly up <service>` starts a subset',
  entrypoint: "the image's own entrypoint runs",
  working_dir: "the image's own working folder is used",
  user: "image services run as the image's user",
  deploy: 'one instance, no resource limits',
  labels: 'poly sets its own dev.poly.* labels',
  extra_hosts: 'containers reach the host as host.docker.internal',
  links: 'services reach each other by name on the project network',
  extends: 'the service it extends was not read: copy its keys here and run poly init again',
};

export interface ComposeImport {
  services: ProposedService[];
  /** Folders whose compose service became the native service: the walk's proposal for them is replaced. */
  nativeFolders: Set<string>;
  notes: AdoptionNote[];
}

/**
 * A compose file's services as poly services. A service that builds a folder
 * poly recognises (a Cargo.toml, package.json … with a run command) becomes
 * that native service, keeping compose's ports, environment, dependencies and
 * health; an image keeps its image; any other build keeps its Dockerfile.
 */
export function importCompose(
  data: Record<string, unknown>,
  text: string,
  file: string,
  folders: ReadonlyMap<string, DetectedFolderService>,
): ComposeImport {
  const notes: AdoptionNote[] = [];
  const nativeFolders = new Set<string>();
  const services: ProposedService[] = [];
  for (const key of ['volumes', 'networks', 'secrets', 'configs', 'include'])
    if (data[key] !== undefined)
      notes.push({ file, message: `top-level ${key}: poly.toml has no ${key}; ${TOP_LEVEL_INSTEAD[key]}` });
  const raw = data.services;
  if (typeof raw !== 'object' || raw === null) {
    notes.push({ file, message: 'no services: nothing imported from it' });
    return { services, nativeFolders, notes };
  }
  for (const [composeName, value] of Object.entries(raw as Record<string, unknown>)) {
    const line = lineOfService(text, composeName);
    const at = line ? `${file}:${line}` : file;
    const svc = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const say = (message: string) => notes.push({ file: at, message: `services.${composeName}: ${message}` });
    const proposed = composeService(composeName, svc, at, folders, say);
    if (proposed.path !== undefined && proposed.env) hostNameNotes(proposed.env, Object.keys(raw), say);
    for (const key of Object.keys(svc))
      if (!HANDLED.has(key) && !key.startsWith('x-'))
        say(`${key}: poly.toml has no equivalent; left out (${INSTEAD[key] ?? 'no change made for it'})`);
    if (!proposed.image && !proposed.build && !proposed.run) {
      say('has no image, no build inside the repo and no folder poly runs natively: not imported');
      continue;
    }
    if (proposed.path !== undefined && proposed.image === undefined && proposed.build === undefined)
      nativeFolders.add(proposed.path);
    services.push(proposed);
  }
  return { services, nativeFolders, notes };
}

const TOP_LEVEL_INSTEAD: Record<string, string> = {
  volumes: 'see each service for what was done with its volumes',
  networks: 'poly puts the whole project on one network of its own',
  secrets: 'left out: pass secrets through an env_file',
  configs: 'left out: keep config files in the service folder',
  include: 'the included files were not read: run poly init --merge in their folders',
};

function composeService(
  composeName: string,
  svc: Record<string, unknown>,
  source: string,
  folders: ReadonlyMap<string, DetectedFolderService>,
  say: (message: string) => void,
): ProposedService {
  const out: ProposedService = { name: serviceNameOf(composeName), source };
  if (out.name !== composeName) say(`named ${out.name} (poly service names are lowercase a-z, 0-9, - and _)`);
  let build = buildOf(svc.build);
  const port = composePort(svc.ports);
  port.notes.forEach(say);
  if (
    build &&
    (build.context === '..' || build.context.startsWith('../') || posix.isAbsolute(build.context))
  ) {
    say(`build ${build.context}: outside the repo, and poly.toml paths stay inside it; left out`);
    build = undefined;
  }
  const native = build && folders.get(build.context);
  if (native) {
    out.path = native.rel;
    out.runtime = native.runtime;
    out.run = native.run;
    say(
      `builds ${native.rel}, which poly runs natively: ${native.runtime} service \`${native.run}\` (from ${native.rel === '.' ? '' : `${native.rel}/`}${native.file}), toolchain pinned in [runtimes]`,
    );
    if (svc.command !== undefined)
      say("command: replaced by the native run command (compose's is for the container)");
    const listen =
      port.value &&
      (readsPortVariable(native.run) && port.value.host ? port.value.host : port.value.container);
    const chosen = listen ?? native.port;
    if (chosen !== undefined) out.port = chosen;
  } else {
    if (build) {
      out.build = posix.normalize(posix.join(build.context, build.dockerfile));
      if (build.dockerfile.includes('/') || build.dockerfile.includes('..'))
        say(`build: poly builds with the Dockerfile's folder as the context (compose used ${build.context})`);
      for (const k of build.unsupported) say(`build.${k}: poly builds without it`);
      if (svc.image !== undefined) say(`image ${String(svc.image)}: poly names the image it builds itself`);
    } else if (typeof svc.image === 'string') out.image = svc.image;
    if (svc.command !== undefined) {
      const cmd = Array.isArray(svc.command)
        ? svc.command.map(String).map(shellQuote).join(' ')
        : String(svc.command);
      out.run = cmd;
    }
    if (port.value) {
      out.port = port.value.container;
      if (port.value.host !== undefined && port.value.host !== port.value.container)
        say(
          `ports ${port.value.host}:${port.value.container}: poly publishes a container's port as the same port on 127.0.0.1, so it is reached at 127.0.0.1:${port.value.container}`,
        );
    }
  }
  const env = composeEnvironment(svc.environment);
  env.notes.forEach(say);
  if (env.value) out.env = env.value;
  const envFiles = composeEnvFile(svc.env_file).filter((f) => {
    const path = typeof f === 'string' ? f : f.path;
    const outside = posix.isAbsolute(path) || posix.normalize(path).startsWith('../');
    if (outside) say(`env_file ${path}: outside the repo, and poly.toml paths stay inside it; left out`);
    return !outside;
  });
  if (envFiles.length) out.env_file = envFiles;
  const deps = dependsOn(svc.depends_on, say);
  if (deps.length) out.depends_on = deps;
  const health =
    healthOf(svc.healthcheck, out, Boolean(native), say) ??
    (native ? nativeHealth(native, numericPort(out)) : undefined);
  if (health) out.health = health;
  volumesNote(svc.volumes, Boolean(native), say);
  const restart = restartOf(svc.restart, say);
  if (restart) out.restart = restart;
  const stop = stopSeconds(svc.stop_grace_period);
  if (stop !== undefined) out.stop_timeout = stop;
  return out;
}

/** The folder's own check (a start_period for a first compile), moved to the port compose gives it. */
function nativeHealth(native: DetectedFolderService, port: number | undefined): ProposedHealth | undefined {
  const h = native.health;
  if (h === undefined || typeof h === 'string') return h;
  if (h.tcp !== undefined) return port === undefined ? undefined : { ...h, tcp: port };
  return h;
}

function buildOf(build: unknown): { context: string; dockerfile: string; unsupported: string[] } | undefined {
  if (typeof build === 'string')
    return {
      context: posix.normalize(build).replace(/\/$/, '') || '.',
      dockerfile: 'Dockerfile',
      unsupported: [],
    };
  if (typeof build !== 'object' || build === null) return undefined;
  const b = build as Record<string, unknown>;
  const context = typeof b.context === 'string' ? posix.normalize(b.context).replace(/\/$/, '') || '.' : '.';
  const dockerfile = typeof b.dockerfile === 'string' ? b.dockerfile : 'Dockerfile';
  return {
    context,
    dockerfile,
    unsupported: Object.keys(b).filter((k) => k !== 'context' && k !== 'dockerfile'),
  };
}

function dependsOn(value: unknown, say: (m: string) => void): string[] {
  if (Array.isArray(value)) return value.map((d) => serviceNameOf(String(d)));
  if (typeof value !== 'object' || value === null) return [];
  const out: string[] = [];
  for (const [name, spec] of Object.entries(value)) {
    out.push(serviceNameOf(name));
    const condition = (spec as { condition?: unknown } | null)?.condition;
    if (condition === 'service_started')
      say(
        `depends_on ${name} (service_started): poly starts a service once its dependencies are healthy, a little later than compose`,
      );
    if (condition === 'service_completed_successfully')
      say(
        `depends_on ${name} (service_completed_successfully): poly has no run-once services; it waits for ${name} to be healthy instead`,
      );
  }
  return out;
}

function healthOf(
  value: unknown,
  service: ProposedService,
  native: boolean,
  say: (m: string) => void,
): ProposedHealth | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const hc = value as Record<string, unknown>;
  if (hc.disable === true) return undefined;
  const test = healthTestCommand(hc.test);
  if (test === 'NONE') return undefined;
  const timing = healthTiming(hc);
  timing.notes.forEach(say);
  const base = timing.value ?? {};
  const port = numericPort(service);
  if (test === undefined) return Object.keys(base).length && port ? { tcp: port, ...base } : undefined;
  const path = httpPathOfTest(test, port);
  if (path && port !== undefined) return { path, ...base };
  // A native service runs where the check runs: compose's test works as it is.
  if (native) return { cmd: test, ...base };
  if (port !== undefined) {
    say(
      `healthcheck \`${test}\` runs inside the container in compose; poly checks from the host, so it checks that port ${port} accepts connections (same timing), beside the image's own HEALTHCHECK`,
    );
    return { tcp: port, ...base };
  }
  say(
    `healthcheck \`${test}\` runs inside the container and the service has no port: left out (the image's own HEALTHCHECK, if any, is used)`,
  );
  return undefined;
}

/**
 * A native service runs on this machine, where compose's service names are not
 * host names: say which variables name one, and what poly offers instead.
 */
function hostNameNotes(
  env: Record<string, string>,
  composeNames: readonly string[],
  say: (m: string) => void,
) {
  for (const [key, value] of Object.entries(env)) {
    const host = composeNames.find((n) =>
      new RegExp(`(?:^|//|@)${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?::\\d+|/|$)`).test(value),
    );
    if (!host) continue;
    const prefix = serviceNameOf(host).toUpperCase().replaceAll('-', '_');
    say(
      `env ${key} names ${host}, a compose host name; this service runs natively, where poly gives it ${prefix}_HOST, ${prefix}_PORT and ${prefix}_URL for ${host} instead: use them in ${key}`,
    );
  }
}

function numericPort(service: ProposedService): number | undefined {
  return typeof service.port === 'number' ? service.port : undefined;
}

function volumesNote(value: unknown, native: boolean, say: (m: string) => void): void {
  if (!Array.isArray(value) || value.length === 0) return;
  const list = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  if (native) say(`volumes ${list}: not needed, a native service runs in its own folder`);
  else
    say(
      `volumes ${list}: poly.toml has no volumes; left out (the container keeps its data until poly down removes it)`,
    );
}
