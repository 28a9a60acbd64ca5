import { existsSync } from 'node:fs';
import type { Platform, RuntimeDefinition } from '../../../runtimes/types.js';
import { PolyError } from '../errors.js';
import type { RuntimePin } from '../manifest/types.js';
import { installDir } from '../store/layout.js';
import type { LockedRuntime } from '../store/lockfile.js';
import { httpOptionsFromEnv } from './http.js';
import { indexTtlFromEnv } from './index-cache.js';
import { done } from './install-outcome.js';
import type { InstallPlan, PinOutcome } from './install-plan.js';
import { installArtifact } from './install-toolchain.js';
import { findInstalled } from './installed.js';
import { lockedArtifact, openSource, type RemoteOptions, resolveRemote } from './resolve-remote.js';
import { findOnPath } from './system.js';

/**
 * The slow path of `poly install`, loaded only when something is missing:
 * resolve against the (cached) remote index, then download, verify, unpack.
 */
export function remoteOptions(
  plan: Pick<InstallPlan, 'layout' | 'env' | 'refresh' | 'offline'>,
): RemoteOptions {
  return {
    layout: plan.layout,
    env: plan.env,
    http: httpOptionsFromEnv(plan.env),
    ttlMs: indexTtlFromEnv(plan.env),
    ...(plan.refresh ? { refresh: true } : {}),
    ...(plan.offline ? { offline: true } : {}),
  };
}

/**
 * Index fetches report retries and silences as archive downloads do (the version is not
 * known yet: the spec stands for it), so a hanging source is never a silent wait.
 */
function withSourceEvents(opts: RemoteOptions, pin: RuntimePin, plan: InstallPlan): RemoteOptions {
  const emit = plan.onEvent;
  if (!emit) return opts;
  const base = { runtime: pin.runtime, version: pin.spec };
  return {
    ...opts,
    http: {
      ...opts.http,
      onRetry: (attempt, reason) => emit({ type: 'retry', ...base, attempt, reason }),
      onSlow: (url, ms) => emit({ type: 'slow', ...base, url, seconds: Math.round(ms / 1000) }),
    },
  };
}

export async function resolveAndInstall(
  pin: RuntimePin,
  plan: InstallPlan,
  platform: Platform,
  locked: LockedRuntime | undefined,
  def: RuntimeDefinition,
): Promise<PinOutcome> {
  if (plan.frozen && !locked) {
    throw new PolyError('LOCK_MISMATCH', `${pin.runtime} "${pin.spec}" is not in poly.lock`, {
      hint: 'Run `poly install` without --frozen to update poly.lock.',
    });
  }
  const opts = withSourceEvents(remoteOptions(plan), pin, plan);
  let entry = locked;
  if (!entry) {
    try {
      const source = await openSource(pin, opts);
      entry = (await resolveRemote(pin, source)).locked;
    } catch (err) {
      // Offline and nothing cached: an installed version that satisfies the pin still does.
      const found = plan.offline ? findInstalled(plan.layout, pin) : undefined;
      if (found) {
        plan.onEvent?.({
          type: 'resolved',
          runtime: pin.runtime,
          spec: pin.spec,
          version: found.version,
          installed: true,
        });
        return done(pin, found.version, false, 'installed', plan);
      }
      if (plan.offline && (err as PolyError).code === 'OFFLINE_NO_CACHE') {
        throw new PolyError('OFFLINE_NOT_INSTALLED', `offline: cannot resolve ${pin.runtime} "${pin.spec}"`, {
          hint: `${(err as PolyError).message}. No installed ${pin.runtime} version matches; run without --offline once.`,
        });
      }
      throw err;
    }
  }
  const present = existsSync(installDir(plan.layout, pin.runtime, entry.version));
  plan.onEvent?.({
    type: 'resolved',
    runtime: pin.runtime,
    spec: pin.spec,
    version: entry.version,
    installed: present,
  });
  if (present) {
    return done(pin, entry.version, false, entry.source, plan, entry);
  }
  if (plan.offline) {
    throw new PolyError(
      'OFFLINE_NOT_INSTALLED',
      `offline, and ${pin.runtime} ${entry.version} is not installed`,
      {
        hint: 'Run `poly install` once with the network to download it.',
      },
    );
  }
  const source = await openSource(pin, opts);
  const artifact = lockedArtifact(entry, def, source.ctx, platform);
  const systemTar = plan.env.POLY_SYSTEM_TAR === '0' ? undefined : findOnPath('tar', plan.env);
  const { installed } = await installArtifact({
    ...(systemTar ? { systemTar } : {}),
    layout: plan.layout,
    runtime: def,
    version: entry.version,
    artifact,
    http: {
      ...opts.http,
      ...(plan.onEvent
        ? {
            onSlow: (url: string, ms: number) =>
              plan.onEvent?.({
                type: 'slow',
                runtime: pin.runtime,
                version: entry.version,
                url,
                seconds: Math.round(ms / 1000),
              }),
          }
        : {}),
      unreachableHint: `${pin.runtime}: ${(await import('./mirrors.js')).mirrorHint(def)}`,
    },
    ...(plan.onEvent ? { onEvent: plan.onEvent } : {}),
  });
  return done(pin, entry.version, installed, entry.source, plan, entry);
}
