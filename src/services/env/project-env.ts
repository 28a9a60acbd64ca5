import { join } from 'node:path';
import type { PolyContext } from '../../core/context.js';
import {
  cacheFilesFor,
  isCacheFresh,
  readCachedEnvironment,
  watchedInputs,
  writeEnvCache,
  writeServiceMarkers,
} from '../../core/env/cache.js';
import { type EnvironmentRoot, findEnvironmentRoot } from '../../core/env/project-root.js';
import { EMPTY_DELTA, type EnvironmentDelta } from '../../core/env/types.js';
import { isPolyError } from '../../core/errors.js';
import type { Manifest } from '../../core/manifest/types.js';
import { LOCK_FILE, MANIFEST_FILE, projectLayout, type StoreLayout } from '../../core/store/layout.js';

export type EnvEvent = { type: 'notice'; message: string };

export interface LoadEnvironmentOptions {
  /** The folder the user is in (logical, as the shell spells it). */
  cwd: string;
  /** The environment whose POLY_* variables apply (store, mirrors, offline), and its machine. */
  ctx: PolyContext;
  /** Install missing pinned runtimes first (exec, shell); the prompt hook never does. */
  install?: boolean;
  onEvent?: (event: EnvEvent) => void;
}

/**
 * The environment for a folder: from the cache in .poly/ when no input changed
 * (no manifest parsing, no version logic), else composed from poly.toml and the
 * installs, with the venv created or rebuilt, and the cache rewritten.
 */
export async function loadEnvironment(options: LoadEnvironmentOptions): Promise<EnvironmentDelta> {
  const { ctx } = options;
  const layout = ctx.layout;
  const root = findEnvironmentRoot(options.cwd, layout);
  if (!root) return EMPTY_DELTA;
  const files = cacheFilesFor(root, layout);
  const inputs = watchedInputs(root, layout);
  if (isCacheFresh(files, inputs)) {
    const cached = readCachedEnvironment(files, layout.home);
    const usable =
      cached &&
      cached.toolchainSet !== undefined &&
      !(options.install && cached.missing.length > 0 && !ctx.offline) &&
      (!cached.venv || (await import('../../core/env/venv.js')).venvComplete(cached.venv.dir));
    if (usable) return cached;
  }
  const delta = await composeFresh(root, layout, options);
  const written = writeEnvCache(files, delta, inputs, layout.home, delta.envFiles ?? []);
  if (written && root.source === 'project')
    writeServiceMarkers(projectLayout(root.root), delta.serviceDirs ?? {});
  return delta;
}

/**
 * The full environment a project's commands and services start from: this
 * process's environment with the project's on top (pinned runtimes first on
 * PATH, their variables, [env], the venv), missing runtimes installed first.
 * What `poly up` hands its services (src/services/up/env.ts).
 */
export async function environmentForProject(
  root: string,
  options: {
    onEvent?: (event: EnvEvent) => void;
    /** The environment to start from (ctx.env), whose POLY_HOME and mirrors apply. */
    ctx: PolyContext;
    /** Run as this service's commands run (its venv, env_file, env): `poly new`'s install steps. */
    service?: string;
  },
): Promise<Record<string, string>> {
  const [{ readManifestFile }, { renderNativeEnv }, { commandInputs }] = await Promise.all([
    import('../../core/manifest/load.js'),
    import('../../core/env/service-env/render.js'),
    import('./command-env.js'),
  ]);
  const base = options.ctx.env;
  const delta = await projectDelta(root, options);
  const manifest = readManifestFile(join(root, MANIFEST_FILE));
  const spec = options.service ? manifest.services[options.service] : undefined;
  // A reference to a service's own variable (PORT) reads as empty outside that service.
  return renderNativeEnv(commandInputs(manifest, delta, base, spec), { onUnset: () => {} }).env;
}

/** The project's environment as a delta (toolchains, venv, env_file, [env]), missing runtimes installed first. */
export function projectDelta(
  root: string,
  options: { onEvent?: (event: EnvEvent) => void; ctx: PolyContext },
): Promise<EnvironmentDelta> {
  return loadEnvironment({
    cwd: root,
    install: true,
    ctx: options.ctx,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
}

async function composeFresh(
  root: EnvironmentRoot,
  layout: StoreLayout,
  options: LoadEnvironmentOptions,
): Promise<EnvironmentDelta> {
  // Loaded only when the cache is stale: manifest validation and version matching are the slow part.
  const [{ readManifestFile }, { composeEnvironment }, { hostPlatform }] = await Promise.all([
    import('../../core/manifest/load.js'),
    import('../../core/env/compose.js'),
    import('../../core/env/platform.js'),
  ]);
  const manifest: Manifest = readManifestFile(root.manifestFile);
  const { readLockfile } = await import('../../core/store/lockfile.js');
  const lock = readLockfile(join(root.root, LOCK_FILE));
  const lockedVersions = Object.fromEntries(
    Object.entries(lock?.runtimes ?? {}).map(([r, l]) => [r, l?.version]),
  );
  const compose = () =>
    composeEnvironment(manifest, {
      layout,
      platform: hostPlatform(options.ctx.host),
      source: root.source,
      lockedVersions,
      host: options.ctx.env,
    });
  let delta = compose();
  if (delta.missing.length > 0 && options.install && !options.ctx.offline) {
    const { installMissing } = await import('../install/for-env.js');
    await installMissing(manifest, {
      ctx: options.ctx,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    delta = compose();
  }
  const python = delta.toolchains.find((t) => t.runtime === 'python');
  if (delta.venv && python) {
    const { ensureVenv, venvState } = await import('../../core/env/venv.js');
    const state = venvState(delta.venv);
    if (state !== 'ready') {
      const shown = displayVenv(delta.venv.dir, root.root);
      const verb = state === 'absent' ? 'creating' : 'rebuilding';
      options.onEvent?.({ type: 'notice', message: `${verb} ${shown} with python ${python.version}` });
      try {
        ensureVenv(delta.venv, python);
      } catch (err) {
        // The rest of the environment still applies; the notice (cached) says why the venv does not.
        if (!isPolyError(err)) throw err;
        return withoutVenv(delta, `${err.message}${err.hint ? `. ${err.hint}` : ''}`);
      }
    }
  }
  return delta;
}

function withoutVenv(delta: EnvironmentDelta, notice: string): EnvironmentDelta {
  const venv = delta.venv;
  const set = { ...delta.set };
  if (venv && set.VIRTUAL_ENV === venv.dir) delete set.VIRTUAL_ENV;
  // The toolchain's own pip is now first on PATH: without this it would install into the
  // shared toolchain, where every other project would import the package.
  set.PIP_REQUIRE_VIRTUALENV = '1';
  const toolchainSet = { ...delta.toolchainSet };
  if (venv && toolchainSet.VIRTUAL_ENV === venv.dir) delete toolchainSet.VIRTUAL_ENV;
  toolchainSet.PIP_REQUIRE_VIRTUALENV = '1';
  const { venv: _dropped, ...rest } = delta;
  return {
    ...rest,
    pathPrepend: delta.pathPrepend.filter((d) => d !== venv?.binDir),
    set,
    toolchainSet,
    unset: delta.unset.filter((n) => n !== 'PYTHONHOME'),
    notices: [...delta.notices, notice],
  };
}

function displayVenv(dir: string, root: string): string {
  return dir.startsWith(`${root}/`) ? dir.slice(root.length + 1) : dir;
}
