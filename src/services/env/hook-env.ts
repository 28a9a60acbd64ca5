import type { PolyContext } from '../../core/context.js';
import { cacheFilesFor, watchedFiles, watchedInputs, writeEnvCache } from '../../core/env/cache.js';
import { findEnvironmentRoot } from '../../core/env/project-root.js';
import { renderHookScript, type WatchedFile } from '../../core/env/render.js';
import { EMPTY_DELTA, type EnvironmentDelta, type ShellName } from '../../core/env/types.js';
import { isPolyError } from '../../core/errors.js';

import { loadEnvironment } from './project-env.js';
import { serviceShellEnv } from './service-shell-env.js';

export interface HookEnvOptions {
  cwd: string;
  shell: ShellName;
  /** Whose store, mirrors and machine apply. */
  ctx: PolyContext;
}

/**
 * What the prompt hook evals when its builtin checks saw a change: the
 * environment of the nearest poly.toml as calls to the hook's functions
 * (restore what the previous project changed, then apply this one), or, in
 * a service's folder, that service's environment. Never installs. A broken poly.toml yields an environment that only carries the
 * error as a notice, cached like any other, so the shell does not retry (and
 * repeat the error) at every prompt until the file changes again.
 */
export async function hookEnv(options: HookEnvOptions): Promise<string> {
  const { ctx } = options;
  const layout = ctx.layout;
  const notices: string[] = [];
  let delta: EnvironmentDelta;
  let watch: WatchedFile[] = [];
  try {
    delta = await loadEnvironment({
      cwd: options.cwd,
      ctx,
      install: false,
      onEvent: (e) => notices.push(e.message),
    });
    watch = watchedFiles(delta.envFiles ?? []);
    const service = await serviceShellEnv(delta, options.cwd, ctx);
    if (service) ({ delta, watch } = service);
  } catch (err) {
    if (!isPolyError(err)) throw err;
    const root = findEnvironmentRoot(options.cwd, layout);
    if (!root) throw err;
    delta = {
      ...EMPTY_DELTA,
      source: root.source,
      root: root.root,
      manifestFile: root.manifestFile,
      notices: [`${err.message}${err.hint ? ` (${err.hint})` : ''}`],
    };
    writeEnvCache(cacheFilesFor(root, layout), delta, watchedInputs(root, layout), layout.home);
  }
  const script = renderHookScript(
    { ...delta, notices: [...notices, ...delta.notices] },
    options.shell,
    layout.home,
    watch,
  );
  return script;
}
