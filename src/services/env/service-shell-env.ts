import type { PolyContext } from '../../core/context.js';
import {
  isCacheFresh,
  readCacheEntry,
  watchedFiles,
  watchedInputs,
  writeEnvCache,
} from '../../core/env/cache.js';
import type { WatchedFile } from '../../core/env/render.js';
import type { EnvironmentDelta } from '../../core/env/types.js';
import { projectLayout, serviceEnvCacheFiles } from '../../core/store/layout.js';
import { execService, serviceCommandInputs } from '../exec/service-env.js';

/** A service's environment as the shell readers apply it: a delta on top of the user's, and what it watches. */
export interface ServiceShellEnv {
  service: string;
  delta: EnvironmentDelta;
  watch: WatchedFile[];
}

/**
 * The environment of the service whose folder holds `cwd` (or `named`), as a
 * delta: from its cache in .poly/service-env/ while fresh, else rendered (the
 * same rendering `poly exec` runs a service's commands with) and cached, so the
 * prompt hook, bin/poly and the shims serve the folder without Node next time.
 * Undefined outside a service's folder.
 */
export async function serviceShellEnv(
  project: EnvironmentDelta,
  cwd: string,
  ctx: PolyContext,
  named?: string,
): Promise<ServiceShellEnv | undefined> {
  const { layout } = ctx;
  if (!project.root || !project.manifestFile) return undefined;
  const service = execService(project, cwd, named);
  if (!service) return undefined;
  const dir = project.serviceDirs?.[service];
  const files = dir === undefined ? undefined : serviceEnvCacheFiles(projectLayout(project.root), dir);
  const root = { source: 'project' as const, root: project.root, manifestFile: project.manifestFile };
  const inputs = watchedInputs(root, layout);
  if (files && isCacheFresh(files, inputs)) {
    const cached = readCacheEntry(files, layout.home);
    const venv = cached?.delta.venv;
    const venvOk = !venv || (await import('../../core/env/venv.js')).venvComplete(venv.dir);
    if (cached && venvOk) return { service, delta: cached.delta, watch: cached.watch ?? [] };
  }
  const { delta, watch } = await renderServiceDelta(project, service, ctx.env);
  if (files) writeEnvCache(files, delta, inputs, layout.home, watch);
  return { service, delta, watch: watchedFiles(watch) };
}

/**
 * The service's native environment minus the host's: what its venv, its
 * env_files, [env], its env and its running peers put on top. Peers that are
 * not running read as empty (the shell is not the service). The files it
 * depends on beyond poly.toml: the env_files and the supervisor's state.
 */
async function renderServiceDelta(
  project: EnvironmentDelta,
  service: string,
  env: NodeJS.ProcessEnv,
): Promise<{ delta: EnvironmentDelta; watch: string[] }> {
  const root = project.root as string;
  const [{ renderNativeEnv }, { manifest, spec, venv, venvCreated, python, inputs }] = await Promise.all([
    import('../../core/env/service-env/render.js'),
    serviceCommandInputs(project, service, env),
  ]);
  const notices = [...project.notices];
  if (venv && python && venvCreated) notices.push(`creating ${venv.dir} with python ${python.version}`);
  const rendered = renderNativeEnv(inputs, { onUnset: () => {} });
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(rendered.env))
    if (name !== 'PATH' && rendered.sources[name] !== 'host') set[name] = value;
  const delta: EnvironmentDelta = {
    ...project,
    pathPrepend: inputs.toolchain.pathPrepend,
    set,
    unset: inputs.toolchain.unset.filter((name) => !(name in set)),
    ...(venv ? { venv } : {}),
    notices,
  };
  const watch = [
    ...(manifest.project.envFiles ?? []).map((f) => f.path),
    ...(spec.envFiles ?? []).map((f) => f.path),
    projectLayout(root).supervisorFile,
  ];
  return { delta, watch };
}
