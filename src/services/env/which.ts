import type { PolyContext } from '../../core/context.js';
import { findExecutable } from '../../core/env/apply.js';
import { findEnvironmentRoot } from '../../core/env/project-root.js';
import type { EnvironmentDelta } from '../../core/env/types.js';
import { PolyError } from '../../core/errors.js';
import type { RuntimeName } from '../../core/manifest/types.js';
import { loadEnvironment } from './project-env.js';

export interface WhichResult {
  binary: string;
  path: string;
  runtime: RuntimeName;
  version: string;
}

/**
 * `poly which`: the executable `poly exec` would run, from the folders poly puts
 * first on PATH (the project's venv, then its toolchains; outside a project the
 * global pins). The same environment exec computes, so the two never disagree.
 * Never installs; a missing venv is made, as exec would make it.
 */
export async function which(opts: { cwd: string; binary: string; ctx: PolyContext }): Promise<WhichResult> {
  const { ctx } = opts;
  const layout = ctx.layout;
  if (!findEnvironmentRoot(opts.cwd, layout)) {
    throw new PolyError(
      'NO_MANIFEST',
      `no poly.toml in ${opts.cwd} or any parent folder, and no global pins`,
      {
        hint: 'poly which looks in the toolchains a project pins (or `poly use -g` pins); run it inside a project.',
      },
    );
  }
  const delta = await loadEnvironment({ cwd: opts.cwd, ctx, install: false });
  const path = findExecutable(opts.binary, delta.pathPrepend.join(':'));
  const owner = path ? ownerOf(path, delta) : undefined;
  if (path && owner) return { binary: opts.binary, path, ...owner };
  const onPath = findExecutable(opts.binary, ctx.env.PATH, [layout.shims]);
  const where = delta.source === 'global' ? 'your global pins' : 'this project';
  throw new PolyError('NOT_FOUND', `no toolchain ${where} pins provides "${opts.binary}"`, {
    hint: delta.missing.length
      ? `Not installed yet: ${delta.missing.join(', ')}. Run \`poly install\`.`
      : onPath
        ? `\`poly exec ${opts.binary}\` would run ${onPath} from your PATH.`
        : 'Pin the runtime that provides it in poly.toml, then run `poly install`.',
  });
}

function ownerOf(
  path: string,
  delta: EnvironmentDelta,
): { runtime: RuntimeName; version: string } | undefined {
  if (delta.venv && path.startsWith(`${delta.venv.binDir}/`)) {
    return { runtime: 'python', version: delta.venv.pythonVersion };
  }
  const toolchain = delta.toolchains.find((t) => t.binDirs.some((d) => path.startsWith(`${d}/`)));
  return toolchain ? { runtime: toolchain.runtime, version: toolchain.version } : undefined;
}
