import { readdirSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { PolyContext } from '../../core/context.js';
import { isPolyError, PolyError } from '../../core/errors.js';
import { requireManifest } from '../../core/manifest/load.js';
import type { RuntimeName } from '../../core/manifest/types.js';
import { assertReplaceable } from '../../core/store/atomic-write.js';
import { assertEmptyTarget, planFiles, writeFiles } from '../../core/templates/copy.js';
import { type DatabaseWiring, wireDatabase } from '../../core/templates/database-wiring.js';
import { runInstallStep } from '../../core/templates/install.js';
import {
  checkRegistration,
  choosePort,
  registerService,
  type ServiceEntry,
} from '../../core/templates/register.js';
import { renderExpression, resolveOptions } from '../../core/templates/render.js';
import { resolveTemplate, type TemplateOrigin } from '../../core/templates/source.js';
import { assertInsideProject, firstMissingFolder } from '../../core/templates/target-path.js';
import type { TemplateSpec } from '../../core/templates/types.js';
import { applyVariant, selectVariant } from '../../core/templates/variants.js';
import { runtimeFit } from '../../core/templates/versions.js';

export interface ScaffoldOptions {
  /** Folder the command runs in; poly.toml is found from here upwards. */
  cwd: string;
  /** Built-in template name, a folder with a template.toml, or a git URL. */
  template: string;
  name: string;
  /** Target folder (relative to cwd); default services/<name> under the project root. */
  path?: string;
  port?: number;
  /** Values of the template's other options (--set key=value). */
  set?: Record<string, string>;
  /** Run the template's dependency install steps (false with --no-install). */
  install: boolean;
  /** A variant of the template (`--with postgres`): its overlay, wired to a database service. */
  with?: string;
  /** The caller's environment (the template cache, the toolchains the install steps run with) and machine. */
  ctx: PolyContext;
  /** Where built-in templates live; tests point it elsewhere. */
  builtinRoot?: string;
}

export type ScaffoldEvent =
  | { type: 'note'; message: string }
  | { type: 'files-written'; dir: string; count: number }
  | {
      type: 'registered';
      name: string;
      port: number;
      pinned?: { runtime: RuntimeName; spec: string };
      database?: { service: string; added: boolean; use?: string };
    }
  | { type: 'install-start'; command: string[] }
  | { type: 'install-done'; command: string[]; ms: number };

export interface ScaffoldResult {
  name: string;
  template: string;
  origin: TemplateOrigin;
  runtime: RuntimeName;
  /** Service folder relative to the project root. */
  path: string;
  dir: string;
  port: number;
  run: string;
  test: string;
  health: string;
  /** The health check's start_period, when the template needs one. */
  startPeriod?: string;
  endpoint?: string;
  /** The runtime spec poly pinned because the project had none. */
  pinned?: string;
  /** The `--with` variant, and the database service it uses (added when the project had none). */
  with?: string;
  database?: { service: string; added: boolean };
  files: string[];
  installed: string[][];
  manifest: string;
}

/**
 * `poly new`: every check first (project, template, name, options, runtime
 * range, port, target folder, manifest edit), then the files, then poly.toml,
 * then the install steps. A refusal leaves the disk untouched.
 */
export async function scaffoldService(
  options: ScaffoldOptions,
  onEvent: (event: ScaffoldEvent) => void = () => {},
): Promise<ScaffoldResult> {
  const manifest = requireManifest(options.cwd);
  const { template: base, origin } = await resolveTemplate(options.template, {
    cwd: options.cwd,
    layout: options.ctx.layout,
    ...(options.builtinRoot ? { builtinRoot: options.builtinRoot } : {}),
  });
  const variant = selectVariant(base, options.with);
  const template = applyVariant(base, variant);
  const wiring = variant ? wireDatabase(manifest, variant, options.name) : undefined;

  const fit = runtimeFit(manifest.runtimes[template.runtime], template.versions);
  if (fit.kind === 'outside') {
    throw new PolyError(
      'RUNTIME_OUT_OF_RANGE',
      `template ${template.name} needs ${template.runtime} ${template.versions}, but poly.toml pins ${template.runtime} = "${fit.spec}"`,
      {
        hint: `Nothing was written. Pin a ${template.runtime} version in ${template.versions} in poly.toml (e.g. ${template.runtime} = "${template.pin}"), then run poly new again.`,
      },
    );
  }
  if (fit.kind === 'unknown') {
    onEvent({
      type: 'note',
      message: `poly.toml pins ${template.runtime} = "${fit.spec}"; ${template.name} needs ${template.versions}`,
    });
  }

  const portOption = template.options.find((o) => o.key === 'port');
  const port = choosePort(manifest, options.port ?? Number(portOption?.default), options.port !== undefined);
  const values = resolveOptions(template, {
    name: options.name,
    port,
    ...(options.set ? { set: options.set } : {}),
  });

  const dir = options.path
    ? resolve(options.cwd, options.path)
    : resolve(manifest.root, 'services', options.name);
  const rel = assertInsideProject(manifest.root, dir);
  assertEmptyTarget(dir);
  // poly.toml is edited after the files are written: a read-only one must stop us before.
  assertReplaceable(manifest.file);

  const pin = fit.kind === 'unpinned' ? template.pin : undefined;
  const entry: ServiceEntry = {
    name: options.name,
    path: rel.split(sep).join('/'),
    runtime: template.runtime,
    run: renderExpression(template.run, values),
    port,
    health: template.health,
    ...(template.startPeriod ? { startPeriod: template.startPeriod } : {}),
    tasks: serviceTasks(template, values, wiring),
    ...(wiring ? databaseKeys(wiring) : {}),
  };
  checkRegistration(manifest, entry, pin);
  const files = planFiles(template, values);

  const created = firstMissingFolder(dir);
  writeFiles(dir, files);
  onEvent({ type: 'files-written', dir, count: files.length });
  try {
    registerService(manifest, entry, pin);
  } catch (err) {
    // poly.toml changed under us since the check: take back only what this run wrote.
    removeWritten(dir, created);
    throw err;
  }
  onEvent({
    type: 'registered',
    name: entry.name,
    port,
    ...(pin ? { pinned: { runtime: template.runtime, spec: pin } } : {}),
    ...(wiring
      ? {
          database: {
            service: wiring.service,
            added: !!wiring.added,
            ...(wiring.added ? { use: wiring.added.use } : {}),
          },
        }
      : {}),
  });

  const installed: string[][] = [];
  if (options.install && template.install.length > 0) {
    const projectEnv = await projectEnvironment(manifest.root, dir, options.ctx, onEvent, entry.name);
    for (const step of template.install) {
      onEvent({ type: 'install-start', command: step });
      const started = Date.now();
      await runInstallStep(step, { manifest, serviceDir: dir, env: projectEnv });
      onEvent({ type: 'install-done', command: step, ms: Date.now() - started });
      installed.push(step);
    }
  }

  return {
    name: entry.name,
    template: template.name,
    origin,
    runtime: template.runtime,
    path: entry.path,
    dir,
    port,
    run: entry.run,
    test: renderExpression(template.test, values),
    health: template.health,
    ...(template.startPeriod ? { startPeriod: template.startPeriod } : {}),
    ...(template.endpoint ? { endpoint: template.endpoint } : {}),
    ...(pin ? { pinned: pin } : {}),
    ...(variant && wiring
      ? { with: variant.name, database: { service: wiring.service, added: !!wiring.added } }
      : {}),
    files: files.map((f) => f.target),
    installed,
    manifest: manifest.file,
  };
}

/** The folder was new or empty before this run, so everything in it (and the folders made for it) is ours. */
function removeWritten(dir: string, created: string | undefined): void {
  if (created) {
    rmSync(created, { recursive: true, force: true });
    return;
  }
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
}

/**
 * The environment install steps run in, as `poly exec` would give it: the
 * project's toolchains, installed when missing (like `poly exec` and `poly use`),
 * its venv built with the pinned Python, and [env]. Built before any dependency
 * is installed: otherwise a step would run on whatever is on PATH, and the venv,
 * rebuilt later for the pinned Python, would lose what was installed into it.
 */
async function projectEnvironment(
  root: string,
  dir: string,
  ctx: PolyContext,
  onEvent: (e: ScaffoldEvent) => void,
  service: string,
): Promise<NodeJS.ProcessEnv> {
  const { environmentForProject } = await import('../env/project-env.js');
  try {
    // The template pinned its runtime as `poly use` does, so it is locked as `poly use` locks it, also
    // when the toolchain is already in the store: the environment below installs, and so locks, only
    // what is missing. Databases are locked by `poly up`, as ever.
    const { ensureInstalled } = await import('../install/install.js');
    await ensureInstalled({ ...requireManifest(root), services: {} }, { ctx });
    return await environmentForProject(root, {
      ctx,
      service,
      onEvent: (e) => onEvent({ type: 'note', message: e.message }),
    });
  } catch (err) {
    if (!isPolyError(err)) throw err;
    throw new PolyError(err.code, err.message, {
      hint: `${err.hint ? `${err.hint} ` : ''}The service is in place in ${dir} and registered in poly.toml; once the toolchain installs (\`poly install\`), install its dependencies there.`,
      exitCode: err.exitCode,
    });
  }
}

/**
 * The service's tasks in poly.toml: the template's own `test`, then its build and lint.
 * A database variant's tests need the database: `poly run <name>:test` starts it first.
 */
function serviceTasks(
  template: TemplateSpec,
  values: Parameters<typeof renderExpression>[1],
  wiring: DatabaseWiring | undefined,
): NonNullable<ServiceEntry['tasks']> {
  const test = renderExpression(template.test, values);
  const tasks: NonNullable<ServiceEntry['tasks']> = {
    test: wiring ? { run: test, depends: [`service:${wiring.service}`] } : test,
  };
  for (const [name, command] of Object.entries(template.tasks ?? {}))
    tasks[name] = renderExpression(command, values);
  return tasks;
}

/** The new service's side of the wiring: DATABASE_URL from the database's URL, started after it. */
function databaseKeys(wiring: DatabaseWiring): Pick<ServiceEntry, 'env' | 'depends_on' | 'database'> {
  return {
    env: wiring.env,
    depends_on: [wiring.service],
    ...(wiring.added ? { database: wiring.added } : {}),
  };
}
