import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PolyContext } from '../../core/context.js';
import {
  checkActivation,
  checkCacheWritable,
  checkPinsInstalled,
  checkShadowing,
  checkShimsFirst,
  type DoctorInput,
  type Finding,
} from '../../core/env/doctor.js';
import { loadEnvironment } from '../env/project-env.js';
import { proxyFinding } from '../proxy/doctor.js';
import { portFindings } from './ports.js';

export interface DoctorReport {
  ok: boolean;
  /** The project checked (absent outside any project). */
  project?: string;
  findings: Finding[];
}

/** `poly doctor`: is poly active here, is what the project pins installed, does anything shadow it. */
export async function runDoctor(options: {
  cwd: string;
  /** Whose store, mirrors and machine apply. */
  ctx: PolyContext;
  home?: string;
}): Promise<DoctorReport> {
  const { ctx } = options;
  const layout = ctx.layout;
  const env = ctx.env;
  const delta = await loadEnvironment({ cwd: options.cwd, ctx, install: false });
  let shimNames: string[] = [];
  try {
    shimNames = readdirSync(layout.shims).filter((n) => !n.startsWith('.'));
  } catch {
    // no shims yet
  }
  const input: DoctorInput = { env, shims: layout.shims, shimNames, delta, home: options.home ?? homedir() };
  const findings = [
    checkActivation(input),
    checkShimsFirst(input),
    ...checkPinsInstalled(input),
    ...checkShadowing(input),
    checkCacheWritable(input, delta.root ? cacheWritable(delta.root) : true),
    ...(delta.root && delta.source === 'project' ? await versionFileFindings(delta.root) : []),
    ...(delta.root && delta.source === 'project' ? await portFindings(delta.root) : []),
    await dockerFinding(env),
    await proxyFinding(ctx),
  ].filter((f): f is Finding => f !== undefined);
  return {
    ok: findings.every((f) => f.status !== 'error'),
    ...(delta.root && delta.source === 'project' ? { project: delta.root } : {}),
    findings,
  };
}

/** The Docker engine (container mode): a warning when none answers, as only container services need it. */
async function dockerFinding(env: NodeJS.ProcessEnv): Promise<Finding> {
  const { checkDocker } = await import('../../core/docker/doctor-check.js');
  const { check, ...rest } = await checkDocker(env);
  return { id: check, ...rest };
}

function cacheWritable(root: string): boolean {
  const dir = join(root, '.poly');
  try {
    accessSync(existsSync(dir) ? dir : root, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Version files (.nvmrc, …) that pin another version than poly.toml: one warning each. */
async function versionFileFindings(root: string): Promise<Finding[]> {
  const [{ readManifestFile }, drift] = await Promise.all([
    import('../../core/manifest/load.js'),
    import('../../core/manifest/version-file-drift.js'),
  ]);
  let pinned: Record<string, string>;
  try {
    const manifest = readManifestFile(join(root, 'poly.toml'));
    pinned = Object.fromEntries(
      Object.values(manifest.runtimes).flatMap((p) => (p ? [[p.runtime, p.spec]] : [])),
    );
  } catch {
    return []; // A broken poly.toml is reported by the other checks.
  }
  return drift.versionFileDrift(root, pinned).map((d) => ({
    id: 'version-files',
    status: 'warn' as const,
    message: drift.describeDrift(d),
    fix: d.syncable
      ? `poly use --sync ${d.runtime}@${d.pinned}`
      : `Edit ${d.file} to match poly.toml, or remove it.`,
  }));
}
