import { spawn } from 'node:child_process';
import type { PolyContext } from '../../core/context.js';
import { PolyError } from '../../core/errors.js';
import { requireManifest } from '../../core/manifest/load.js';
import { unknownService } from '../../core/manifest/unknown-service.js';
import { proxySettings } from '../../core/proxy/proxy-settings.js';
import { publicUrlsOf } from '../proxy/routes.js';
import { listServices } from './ps.js';

export interface OpenResult {
  service: string;
  url: string;
  /** The program that was asked to open it ($BROWSER, xdg-open, open). */
  opener: string;
}

/**
 * `poly open [service]`: the service's https name in the browser (its
 * 127.0.0.1 URL when the proxy is off). Without a name, the project's only
 * service with a port.
 */
export async function openService(o: {
  cwd: string;
  service?: string;
  ctx: PolyContext;
}): Promise<OpenResult> {
  const { env } = o.ctx;
  const manifest = requireManifest(o.cwd);
  const withPort = Object.values(manifest.services)
    .filter((s) => s.port !== undefined)
    .map((s) => s.name);
  const name = o.service ?? (withPort.length === 1 ? withPort[0] : undefined);
  if (!name)
    throw new PolyError(
      'OPEN_WHICH',
      `say which service to open: ${withPort.join(', ') || 'none has a port'}`,
      {
        hint: `poly open ${withPort[0] ?? '<service>'}`,
      },
    );
  if (!manifest.services[name]) {
    throw unknownService(manifest.file, name, Object.keys(manifest.services), {
      label: 'Services with a port',
      names: withPort,
    });
  }
  if (!withPort.includes(name))
    throw new PolyError('OPEN_NO_PORT', `service ${name} has no port, so there is nothing to open`, {
      hint: 'Give it port = "auto" (or a number) in poly.toml.',
    });
  let url = publicUrlsOf(manifest, o.ctx)[name];
  if (!url || !proxySettings(env, o.ctx.host).enabled) {
    const ps = await listServices({ cwd: o.cwd, ctx: o.ctx });
    url = ps.services.find((s) => s.name === name)?.url;
    if (!url)
      throw new PolyError('OPEN_NOT_RUNNING', `service ${name} is not running`, {
        hint: `Start it with \`poly up -d ${name}\`.`,
      });
  }
  const opener = browserCommand(env, o.ctx.host.os);
  const child = spawn(opener[0] as string, [...opener.slice(1), url], {
    detached: true,
    stdio: 'ignore',
    env,
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (err) =>
      reject(
        new PolyError('OPEN_FAILED', `could not start ${opener[0]} to open ${url}: ${err.message}`, {
          hint: 'Set BROWSER to your browser, or open the URL yourself.',
        }),
      ),
    );
  });
  child.unref();
  return { service: name, url, opener: opener.join(' ') };
}

/** $BROWSER (a program, as git and python's webbrowser read it), else the OS's opener. */
function browserCommand(env: NodeJS.ProcessEnv, os: string): string[] {
  const browser = env.BROWSER?.split(':')[0]?.trim();
  if (browser) return [browser];
  return os === 'darwin' ? ['open'] : ['xdg-open'];
}
