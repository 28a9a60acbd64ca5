import { join, resolve } from 'node:path';
import { getRuntime } from '../../../runtimes/index.js';
import type { Platform } from '../../../runtimes/types.js';
import type { Manifest, RuntimeName } from '../manifest/types.js';
import { findInstalled } from '../runtimes/installed.js';
import type { StoreLayout } from '../store/layout.js';
import { envFileDefinitions } from './dotenv.js';
import { peerVariables } from './service-env/peers.js';
import { renderNativeEnv } from './service-env/render.js';
import { projectEnvDefinitions } from './service-env/written.js';
import type { ActiveToolchain, EnvironmentDelta, EnvironmentSource, VenvInfo } from './types.js';

export interface ComposeOptions {
  layout: StoreLayout;
  platform: Platform;
  source: Exclude<EnvironmentSource, 'none'>;
  /** Versions recorded in poly.lock, when known; they win when installed. */
  lockedVersions?: Partial<Record<RuntimeName, string>>;
  /** The environment env_file and [env] references read (the caller's, PolyContext.env). */
  host: NodeJS.ProcessEnv;
}

/**
 * The environment a manifest asks for, from what is installed now: each pinned
 * toolchain's bin dirs first on PATH (in the order of [runtimes]), its
 * variables, then the manifest's [env] (which wins), and the Python venv.
 * Reads the installs folder, changes nothing; a pin with nothing installed
 * lands in `missing`. A "system" pin leaves the runtime to the user's PATH.
 */
export function composeEnvironment(manifest: Manifest, options: ComposeOptions): EnvironmentDelta {
  const { layout, platform } = options;
  const toolchains: ActiveToolchain[] = [];
  const missing: string[] = [];
  const set: Record<string, string> = {};
  for (const pin of Object.values(manifest.runtimes)) {
    if (!pin || pin.spec === 'system') continue;
    const found = findInstalled(layout, pin, options.lockedVersions?.[pin.runtime]);
    if (!found) {
      missing.push(`${pin.runtime}@${pin.spec}`);
      continue;
    }
    const definition = getRuntime(pin.runtime);
    toolchains.push({
      runtime: pin.runtime,
      version: found.version,
      dir: found.dir,
      binDirs: definition.binDirs(platform).map((d) => join(found.dir, d)),
    });
    Object.assign(set, definition.env(found.dir, platform));
  }

  const venv = venvOf(manifest, options.source, toolchains);
  const unset: string[] = [];
  if (venv) {
    set.VIRTUAL_ENV = venv.dir;
    unset.push('PYTHONHOME');
  }
  const toolchainSet = { ...set };
  const notices = missing.map((m) => `${m} is not installed; run \`poly install\``);
  Object.assign(
    set,
    projectScopeEnv(manifest, pathPrepend(venv, toolchains), toolchainSet, notices, options.host),
  );
  if ('PATH' in set) {
    // The hook restores PATH by taking poly's prefix off; a replaced PATH could not be undone.
    delete set.PATH;
    notices.push('[env] PATH is ignored: poly puts the toolchains first on PATH itself');
  }

  return {
    source: options.source,
    root: manifest.root,
    manifestFile: manifest.file,
    pathPrepend: pathPrepend(venv, toolchains),
    set,
    unset: unset.filter((name) => !(name in set)),
    toolchains,
    missing,
    ...(venv ? { venv } : {}),
    toolchainSet,
    serviceDirs: Object.fromEntries(Object.values(manifest.services).map((s) => [s.name, s.path])),
    envFiles: (manifest.project.envFiles ?? []).map((f) => f.path),
    notices,
  };
}

function pathPrepend(venv: VenvInfo | undefined, toolchains: readonly ActiveToolchain[]): string[] {
  return [...new Set([...(venv ? [venv.binDir] : []), ...toolchains.flatMap((t) => t.binDirs)])];
}

/**
 * [project] env_file and [env] for commands outside any service (`poly exec`,
 * the shell hook): interpolated against the toolchains' variables and this
 * process's environment. A service's own variables (PORT, its peers') do
 * not exist here, so a reference to one reads as empty, with a notice.
 */
function projectScopeEnv(
  manifest: Manifest,
  prepend: string[],
  toolchainSet: Record<string, string>,
  notices: string[],
  host: NodeJS.ProcessEnv,
): Record<string, string> {
  const written = [
    ...envFileDefinitions(manifest.project.envFiles ?? [], host, '[project]'),
    ...projectEnvDefinitions(manifest),
  ];
  if (written.length === 0) return {};
  const unset = new Set<string>();
  const { env } = renderNativeEnv(
    {
      service: '',
      host,
      toolchain: { pathPrepend: prepend, set: toolchainSet, unset: [] },
      written,
      peers: [],
    },
    { onUnset: (name) => unset.add(name) },
  );
  // A service's own variables (PORT, HOST, its peers') are expected to be missing here: no notice for those.
  const serviceOnly = new Set(['PORT', 'HOST', ...Object.keys(manifest.services).flatMap(peerVariables)]);
  for (const name of unset)
    if (!serviceOnly.has(name)) notices.push(`\${${name}} is not set; it reads as empty outside a service`);
  const out: Record<string, string> = {};
  for (const d of written) out[d.name] = env[d.name] ?? '';
  return out;
}

/** A pinned, installed Python gets a venv (".venv" unless moved or turned off); the global file never does. */
function venvOf(
  manifest: Manifest,
  source: ComposeOptions['source'],
  toolchains: ActiveToolchain[],
): VenvInfo | undefined {
  const pin = manifest.runtimes.python;
  const python = toolchains.find((t) => t.runtime === 'python');
  if (!pin || !python || source === 'global' || pin.venv === false) return undefined;
  const dir = resolve(manifest.root, pin.venv ?? '.venv');
  return { dir, binDir: join(dir, 'bin'), pythonVersion: python.version };
}
