import { join } from 'node:path';
import type { PolyContext } from '../../core/context.js';
import { EXIT_USAGE, PolyError } from '../../core/errors.js';
import { editManifest } from '../../core/manifest/edit.js';
import { requireManifest } from '../../core/manifest/load.js';
import { isRuntimeName, type RuntimeName, type RuntimePin } from '../../core/manifest/types.js';
import type { InstallEventHandler } from '../../core/runtimes/events.js';
import { remoteOptions } from '../../core/runtimes/install-engine.js';
import { findInstalled } from '../../core/runtimes/installed.js';
import { listRemote, openSource } from '../../core/runtimes/resolve-remote.js';
import { LOCK_FILE } from '../../core/store/layout.js';
import { readLockfile, writeLockfile } from '../../core/store/lockfile.js';
import { compareVersions, isPrerelease } from '../../core/versions/compare.js';
import { resolveVersion } from '../../core/versions/resolve.js';
import { parseSpec } from '../../core/versions/spec.js';
import { type InstallResult, install } from './install.js';

/** `poly ls-remote`, `poly outdated`, `poly upgrade`: questions for the remote indexes. */
interface RemoteFlags {
  ctx: PolyContext;
  refresh?: boolean;
  offline?: boolean;
}

function options(flags: RemoteFlags) {
  const { ctx } = flags;
  return remoteOptions({
    layout: ctx.layout,
    env: ctx.env,
    refresh: !!flags.refresh,
    offline: !!flags.offline || ctx.offline,
  });
}

export interface RemoteVersionRow {
  version: string;
  lts?: string;
}

export interface LsRemoteResult {
  runtime: RuntimeName;
  versions: RemoteVersionRow[];
}

export async function lsRemote(
  opts: { runtime: string; prefix?: string } & RemoteFlags,
): Promise<LsRemoteResult> {
  if (!isRuntimeName(opts.runtime)) {
    throw new PolyError('UNKNOWN_RUNTIME', `unknown runtime "${opts.runtime}"`, {
      hint: 'Use one of node, python, go, java, rust.',
      exitCode: EXIT_USAGE,
    });
  }
  const runtime = opts.runtime;
  const pin: RuntimePin = {
    runtime,
    spec: opts.prefix ?? 'latest',
    ...(runtime === 'java' ? { distribution: 'temurin' } : {}),
  };
  const source = await openSource(pin, options(opts));
  // Java lists per feature release: without a prefix, ask for all of them.
  const spec = opts.prefix ?? (runtime === 'java' ? '>=1' : 'latest');
  const list = await listRemote(source, spec, pin.distribution);
  const prefix = opts.prefix?.replace(/^v/, '');
  const rows = list
    .filter((v) => !v.meta?.feature)
    .filter((v) =>
      prefix
        ? v.version === prefix || v.version.startsWith(`${prefix}.`) || v.version.startsWith(`${prefix}+`)
        : !(v.prerelease ?? isPrerelease(v.version)),
    )
    .sort((a, b) => compareVersions(b.version, a.version))
    .map((v) => (v.lts ? { version: v.version, lts: v.lts } : { version: v.version }));
  return { runtime, versions: rows };
}

export interface OutdatedRow {
  runtime: RuntimeName;
  spec: string;
  /** What poly.lock (else the newest installed match) uses now. */
  current?: string;
  /** The newest version the spec allows. */
  wanted: string;
  /** The newest release of all. */
  latest: string;
  outdated: boolean;
}

export async function outdated(opts: { cwd: string } & RemoteFlags): Promise<OutdatedRow[]> {
  const manifest = requireManifest(opts.cwd);
  const o = options(opts);
  const lock = readLockfile(join(manifest.root, LOCK_FILE));
  const pins = Object.values(manifest.runtimes).filter((p): p is RuntimePin => !!p && p.spec !== 'system');
  return Promise.all(
    pins.map(async (pin) => {
      const source = await openSource(pin, o);
      const parsed = parseSpec(pin.runtime, pin.spec, pin.distribution);
      const wantedList = await source.def.listVersions(source.ctx, parsed.spec, source.fetch);
      const latestSpec = parseSpec(pin.runtime, pin.runtime === 'rust' ? 'stable' : 'latest').spec;
      const latestList = await source.def.listVersions(source.ctx, latestSpec, source.fetch);
      const wanted = resolveVersion(parsed.spec, wantedList) ?? '';
      const latest = resolveVersion(latestSpec, latestList) ?? wanted;
      const current = lock?.runtimes[pin.runtime]?.version ?? findInstalled(o.layout, pin)?.version;
      return {
        runtime: pin.runtime,
        spec: pin.spec,
        ...(current ? { current } : {}),
        wanted,
        latest,
        outdated: current !== wanted || compareVersions(latest, wanted) > 0,
      };
    }),
  );
}

/** The newest `latest` written at the precision of the old spec: "22" -> "23", "3.12" -> "3.13". */
export function bumpedSpec(spec: string, latest: string): string | undefined {
  const m = /^(v?)(\d+(?:\.\d+)*)$/.exec(spec.trim());
  if (!m?.[2]) return undefined;
  const parts = m[2].split('.').length;
  return `${m[1] ?? ''}${latest.split(/[+-]/)[0]?.split('.').slice(0, parts).join('.')}`;
}

export interface UpgradeResult {
  bumped: { runtime: RuntimeName; from: string; to: string }[];
  install: InstallResult;
}

/**
 * Re-resolves pins to the newest versions their specs allow (dropping their poly.lock entries),
 * installs them; with `bump`, first rewrites exact/prefix specs in poly.toml to the newest release line.
 */
export async function upgrade(
  opts: { cwd: string; runtime?: string; bump?: boolean; onEvent?: InstallEventHandler } & RemoteFlags,
): Promise<UpgradeResult> {
  let manifest = requireManifest(opts.cwd);
  if (opts.runtime && !manifest.runtimes[opts.runtime as RuntimeName]) {
    throw new PolyError('NOT_PINNED', `poly.toml does not pin ${opts.runtime}`, {
      hint: 'Pin it with `poly use`.',
    });
  }
  const selected = (Object.values(manifest.runtimes) as RuntimePin[]).filter(
    (p) => p && p.spec !== 'system' && (!opts.runtime || p.runtime === opts.runtime),
  );
  const bumped: UpgradeResult['bumped'] = [];
  if (opts.bump) {
    const rows = await outdated({ ...opts, cwd: manifest.root, refresh: true });
    for (const row of rows.filter((r) => selected.some((p) => p.runtime === r.runtime))) {
      const to = bumpedSpec(row.spec, row.latest);
      if (to && to !== row.spec) bumped.push({ runtime: row.runtime, from: row.spec, to });
    }
    if (bumped.length) {
      manifest = editManifest(manifest.file, (doc) => {
        const runtimes = doc.runtimes as Record<string, unknown>;
        for (const b of bumped) {
          const cur = runtimes[b.runtime];
          if (typeof cur === 'string') runtimes[b.runtime] = cur.replace(b.from, b.to);
          else if (cur && typeof cur === 'object') (cur as Record<string, unknown>).version = b.to;
        }
      });
    }
  }
  const lockfile = join(manifest.root, LOCK_FILE);
  const lock = readLockfile(lockfile);
  if (lock) {
    for (const p of selected) delete lock.runtimes[p.runtime];
    writeLockfile(lockfile, lock);
  }
  const result = await install({
    cwd: manifest.root,
    refresh: true,
    ctx: opts.ctx,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  return { bumped, install: result };
}
