import { checkWrittenValues } from '../env/service-env/written.js';
import { checkTaskEnvValues } from '../tasks/task-env-values.js';
import { didYouMean } from '../text/did-you-mean.js';
import { pinFromText } from '../versions/pin.js';
import { Checker, describeValue, isTable, type Table, type ValidationContext } from './checker.js';
import { findCycle } from './find-cycle.js';
import { locateKey, rawValueAt } from './locate.js';
import { acceptedSpecForms, isValidSpec } from './spec-syntax.js';
import {
  type EnvFileRef,
  isRuntimeName,
  type Manifest,
  RUNTIME_NAMES,
  type RuntimeName,
  type RuntimePin,
} from './types.js';
import { envFilesOf } from './validate-env-file.js';
import { domainOf } from './validate-hostnames.js';
import { serviceOf } from './validate-service.js';
import { tasksOf } from './validate-tasks.js';
import { collectValueSites } from './value-sites-collect.js';

export type { ValidationContext } from './checker.js';

const TOP_KEYS = ['project', 'runtimes', 'env', 'services', 'tasks'];
const PROJECT_KEYS = ['name', 'mode', 'base_image', 'env_file', 'domain'];
const PIN_KEYS: Record<RuntimeName, string[]> = {
  node: ['version', 'source'],
  python: ['version', 'venv'],
  go: ['version'],
  java: ['version', 'distribution'],
  rust: ['version'],
};
const SERVICE_NAME = /^[a-z][a-z0-9_-]*$/;
const DISTRIBUTION = /^[a-z][a-z0-9]*$/;

/** Checks parsed TOML against the one schema of poly.toml; throws one PolyError naming every problem (up to 20). */
export function validateManifest(data: Table, ctx: ValidationContext): Manifest {
  const check = new Checker(ctx);
  for (const key of Object.keys(data)) {
    if (TOP_KEYS.includes(key)) continue;
    check.collect(() => misplacedKey(key, data, check));
  }
  const project = check.collect(() => projectOf(data, ctx, check));
  const runtimes: Partial<Record<RuntimeName, RuntimePin>> = {};
  const runtimeTable = check.collect(() => check.table(data.runtimes, ['runtimes'])) ?? {};
  for (const [runtime, value] of Object.entries(runtimeTable)) {
    const pin = check.collect(() => runtimeOf(runtime, value, check));
    if (pin) runtimes[runtime as RuntimeName] = pin;
  }
  const env = check.collect(() => check.envMap(data.env, ['env'])) ?? {};
  const services = check.collect(() => servicesOf(data, check, runtimes)) ?? {};
  // Dependencies and ports are checked across services: only when each service is sound.
  let tasks: Manifest['tasks'] = {};
  if (!check.failed) {
    check.collect(() => checkDependencies(services, check));
    check.collect(() => checkPorts(services, check));
    tasks = check.collect(() => tasksOf(data.tasks, services, serviceTasksOf(data), check)) ?? {};
  }
  check.finish();
  const { name, mode, baseImage, envFiles, domain } = project as NonNullable<typeof project>;
  const manifest: Manifest = {
    file: ctx.file,
    root: ctx.root,
    project: {
      name,
      ...(mode ? { mode: mode as 'native' | 'container' } : {}),
      ...(baseImage ? { baseImage } : {}),
      ...(envFiles ? { envFiles } : {}),
      ...(domain ? { domain } : {}),
    },
    runtimes,
    env,
    services,
    ...(Object.keys(tasks).length ? { tasks } : {}),
  };
  manifest.sites = collectValueSites(manifest, ctx.source, ctx.display);
  checkWrittenValues(manifest);
  checkTaskEnvValues(manifest);
  return manifest;
}

/** Each service's raw `tasks` table, for tasksOf (which resolves names across services). */
function serviceTasksOf(data: Table): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [svcName, value] of Object.entries(isTable(data.services) ? data.services : {}))
    if (isTable(value) && value.tasks !== undefined) out[svcName] = value.tasks;
  return out;
}

function misplacedKey(key: string, data: Table, check: Checker): void {
  {
    // A key written above every [section] lands at the top level: say where it belongs.
    const home = PROJECT_KEYS.includes(key) ? 'project' : isRuntimeName(key) ? 'runtimes' : undefined;
    if (home)
      check.fail(
        [key],
        `"${key}" must be inside [${home}]`,
        `Move the line ${key} = ... below a [${home}] header.`,
      );
    const guess = didYouMean(key, TOP_KEYS);
    const section = isTable(data[key]);
    check.fail(
      [key],
      `unknown ${section ? 'section' : 'top-level key'} "${key}" (known sections: ${TOP_KEYS.map((k) => `[${k}]`).join(', ')}).${guess ? ` Did you mean "${guess}"?` : ''}`,
      guess
        ? `Rename [${key}] to [${guess}].`
        : `Remove ${section ? `[${key}]` : `"${key}"`}; project.example.toml describes every section.`,
    );
  }
}

function projectOf(
  data: Table,
  ctx: ValidationContext,
  check: Checker,
): { name: string; mode?: string; baseImage?: string; envFiles?: EnvFileRef[]; domain?: string } {
  const project = check.table(data.project, ['project']);
  check.unknownKeys(project, PROJECT_KEYS, ['project']);
  const name = project.name ?? ctx.root.split(/[\\/]/).pop() ?? 'project';
  if (typeof name !== 'string' || name.trim() === '')
    check.fail(['project', 'name'], `project.name must be a non-empty string, got ${describeValue(name)}`);
  const mode =
    project.mode === undefined
      ? undefined
      : check.oneOf(project.mode, ['native', 'container'], ['project', 'mode']);
  const baseImage = project.base_image;
  if (baseImage !== undefined && (typeof baseImage !== 'string' || baseImage === ''))
    check.fail(
      ['project', 'base_image'],
      `project.base_image must be an image name like "debian:bookworm-slim", got ${describeValue(baseImage)}`,
    );
  const envFiles = envFilesOf(project.env_file, ['project', 'env_file'], check);
  const domain = domainOf(project.domain, check);
  return {
    name: name as string,
    ...(mode ? { mode } : {}),
    ...(typeof baseImage === 'string' && baseImage ? { baseImage } : {}),
    ...(envFiles ? { envFiles } : {}),
    ...(domain ? { domain } : {}),
  };
}

function runtimeOf(runtime: string, value: unknown, check: Checker): RuntimePin {
  if (!isRuntimeName(runtime)) {
    const guess = didYouMean(runtime, RUNTIME_NAMES);
    check.fail(
      ['runtimes', runtime],
      `unknown runtime "${runtime}" (known: ${RUNTIME_NAMES.join(', ')}).${guess ? ` Did you mean "${guess}"?` : ''}`,
      guess
        ? `Rename "${runtime}" to "${guess}".`
        : `poly manages ${RUNTIME_NAMES.join(', ')}; remove this line.`,
    );
  }
  return pinOf(runtime as RuntimeName, value, check);
}

function servicesOf(
  data: Table,
  check: Checker,
  runtimes: Partial<Record<RuntimeName, RuntimePin>>,
): Manifest['services'] {
  const servicesRaw = data.services;
  if (Array.isArray(servicesRaw))
    check.fail(
      ['services'],
      'services must be a table of named services, got an array',
      'Write each service as [services.<name>], not [[services]].',
    );
  const services: Manifest['services'] = {};
  for (const [svcName, value] of Object.entries(check.table(servicesRaw, ['services']))) {
    const service = check.collect(() => serviceEntry(svcName, value, check, runtimes));
    if (service) services[svcName] = service;
  }
  return services;
}

function serviceEntry(
  svcName: string,
  value: unknown,
  check: Checker,
  runtimes: Partial<Record<RuntimeName, RuntimePin>>,
): Manifest['services'][string] {
  if (!SERVICE_NAME.test(svcName))
    check.fail(
      ['services', svcName],
      `service name "${svcName}" must start with a lowercase letter and use only a-z, 0-9, - and _`,
      `Rename it, e.g. [services.${
        svcName
          .toLowerCase()
          .replace(/[^a-z0-9_-]+/g, '-')
          .replace(/^[^a-z]+/, '') || 'api'
      }].`,
    );
  if (!isTable(value))
    check.fail(
      ['services', svcName],
      `services.${svcName} must be a table, got ${describeValue(value)}`,
      `Write it as a section: [services.${svcName}] followed by its keys.`,
    );
  return serviceOf(svcName, value as Table, check, runtimes);
}

function checkSpec(runtime: RuntimeName, spec: string, path: string[], check: Checker): void {
  if (!isValidSpec(runtime, spec))
    check.fail(
      path,
      `invalid version spec ${JSON.stringify(spec)} for ${runtime}`,
      `Use ${acceptedSpecForms(runtime)}.`,
    );
}

function pinOf(runtime: RuntimeName, value: unknown, check: Checker): RuntimePin {
  const path = ['runtimes', runtime];
  if (typeof value === 'string') {
    const pin = pinFromText(runtime, value);
    checkSpec(runtime, pin.spec, path, check);
    return pin;
  }
  if (typeof value === 'number') {
    // TOML reads 3.10 as the number 3.1: quote what the user wrote, not what the parser made of it.
    const written = rawValueAt(check.ctx.source, locateKey(check.ctx.source, path).line) ?? String(value);
    check.fail(
      path,
      `runtimes.${runtime} must be a string, got the number ${written}`,
      `Quote it: ${runtime} = "${written}".`,
    );
  }
  if (!isTable(value))
    check.fail(
      path,
      `runtimes.${runtime} must be a version string or a table, got ${describeValue(value)}`,
      `Write ${runtime} = "<version>" or ${runtime} = { version = "<version>" }.`,
    );
  const table = value as Table;
  check.unknownKeys(table, PIN_KEYS[runtime], path);
  const version = table.version;
  if (version === undefined)
    check.fail(
      path,
      `runtimes.${runtime} has no version`,
      `Add one: ${runtime} = { version = "<version>"${Object.keys(table).length ? ', ...' : ''} }.`,
    );
  if (typeof version !== 'string')
    check.fail(
      [...path, 'version'],
      `runtimes.${runtime}.version must be a string, got ${describeValue(version)}`,
      `Quote it: version = "${String(version)}".`,
    );
  checkSpec(runtime, version as string, [...path, 'version'], check);
  const pin: RuntimePin = { runtime, spec: version as string };
  if (runtime === 'java') {
    const dist = table.distribution ?? 'temurin';
    if (typeof dist !== 'string' || !DISTRIBUTION.test(dist))
      check.fail(
        [...path, 'distribution'],
        `runtimes.java.distribution must be a distribution name like "temurin", got ${describeValue(dist)}`,
      );
    pin.distribution = dist as string;
  }
  if (runtime === 'node' && table.source !== undefined)
    pin.source = check.oneOf(table.source, ['official', 'npm'], [...path, 'source'], 'official') as
      | 'official'
      | 'npm';
  if (runtime === 'python' && table.venv !== undefined) {
    if (table.venv !== false && (typeof table.venv !== 'string' || table.venv === ''))
      check.fail(
        [...path, 'venv'],
        `runtimes.python.venv must be a folder path or false, got ${describeValue(table.venv)}`,
      );
    pin.venv = table.venv as string | false;
  }
  return pin;
}

function checkDependencies(services: Manifest['services'], check: Checker): void {
  const names = Object.keys(services);
  for (const svc of Object.values(services)) {
    for (const dep of svc.dependsOn) {
      if (!services[dep]) {
        const guess = didYouMean(dep, names);
        check.fail(
          ['services', svc.name, 'depends_on'],
          `services.${svc.name}.depends_on names "${dep}", which is not a service (services: ${names.join(', ')}).${guess ? ` Did you mean "${guess}"?` : ''}`,
          guess
            ? `Write "${guess}" instead of "${dep}".`
            : `Add [services.${dep}], or remove "${dep}" from depends_on.`,
        );
      }
    }
  }
  const cycle = findCycle(services);
  if (cycle)
    check.fail(
      ['services', cycle[0] ?? '', 'depends_on'],
      `depends_on cycle: ${cycle.join(' -> ')}`,
      'A service cannot wait for itself; remove one of these dependencies.',
    );
}

function checkPorts(services: Manifest['services'], check: Checker): void {
  const owner = new Map<number, string>();
  for (const svc of Object.values(services)) {
    if (typeof svc.port !== 'number') continue;
    const other = owner.get(svc.port);
    if (other)
      check.fail(
        ['services', svc.name, 'port'],
        `services.${svc.name}.port ${svc.port} is already used by services.${other}`,
        'Give each service its own port, or port = "auto" to pick a free one.',
      );
    owner.set(svc.port, svc.name);
  }
}
