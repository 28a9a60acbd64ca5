import { execFile } from 'node:child_process';
import type { RuntimeDefinition, SourceContext } from '../../../runtimes/types.js';
import { PolyError } from '../errors.js';
import type { RuntimePin } from '../manifest/types.js';
import { readSettingsFile, settingAt } from '../settings/read.js';
import type { StoreLayout } from '../store/layout.js';

/**
 * Where each runtime's files come from: POLY_<RUNTIME>_MIRROR, else the
 * setting `mirror.<runtime>` (written by `poly config set`, stored by conf as
 * nested JSON in <configDir>/config.json), else the official host.
 */
export function readSetting(layout: StoreLayout, key: string): unknown {
  return settingAt(readSettingsFile(layout.settingsFile), key);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function mirrorBase(def: RuntimeDefinition, layout: StoreLayout, env: NodeJS.ProcessEnv): string {
  const fromEnv = env[def.mirrorEnv];
  if (fromEnv) return trimSlash(fromEnv);
  const setting = readSetting(layout, `mirror.${def.name}`);
  if (typeof setting === 'string' && setting) return trimSlash(setting);
  return def.officialBase;
}

/** The source context for a pin; the npm registry is asked for lazily (it spawns npm). */
export async function sourceContext(
  def: RuntimeDefinition,
  pin: Pick<RuntimePin, 'source' | 'distribution'>,
  layout: StoreLayout,
  env: NodeJS.ProcessEnv,
): Promise<SourceContext> {
  const ctx: SourceContext = { base: mirrorBase(def, layout, env) };
  if (def.indexUrlEnv) {
    const setting = readSetting(layout, `mirror.${def.name}_index`);
    const indexUrl =
      env[def.indexUrlEnv] || (typeof setting === 'string' ? setting : undefined) || def.officialIndexUrl;
    if (indexUrl) ctx.indexUrl = indexUrl;
  }
  if (pin.distribution) ctx.distribution = pin.distribution;
  if (def.name === 'java' && pin.distribution && pin.distribution !== 'temurin') {
    throw new PolyError(
      'UNSUPPORTED_DISTRIBUTION',
      `java distribution "${pin.distribution}" is not supported`,
      {
        hint: 'poly installs Eclipse Temurin: use java = "temurin-21" or { version = "21", distribution = "temurin" }.',
      },
    );
  }
  if (pin.source === 'npm') {
    ctx.source = 'npm';
    ctx.npmRegistry = await npmRegistry(env);
  }
  return ctx;
}

/** How to point a runtime at a mirror, for "cannot reach" errors. */
export function mirrorHint(def: RuntimeDefinition): string {
  const index = def.indexUrlEnv ? ` (and ${def.indexUrlEnv} for its version index)` : '';
  return `Check the network, or use a mirror: export ${def.mirrorEnv}=<url>${index}, or run \`poly config set mirror.${def.name} <url>\`.`;
}

/** The registry npm itself is configured with (`npm config get registry`); never a hard-coded host. */
export function npmRegistry(env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('npm', ['config', 'get', 'registry'], { env, timeout: 15_000 }, (err, stdout) => {
      const url = stdout?.trim();
      if (err || !url || !/^https?:\/\//.test(url)) {
        reject(
          new PolyError(
            'NPM_REGISTRY_UNKNOWN',
            'cannot ask npm for its registry (`npm config get registry` failed)',
            {
              hint: 'Install npm (poly asks it which registry to use), or use node source "official".',
              cause: err ?? undefined,
            },
          ),
        );
      } else resolve(withSlash(url));
    });
  });
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
