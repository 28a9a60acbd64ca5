import type { PolyContext } from '../../core/context.js';
import { serviceEnvName } from '../../core/docker/service-urls.js';
import type { PeerEndpoint } from '../../core/env/service-env/peers.js';
import { loadNearestManifest } from '../../core/manifest/load.js';
import type { Manifest, ServiceSpec } from '../../core/manifest/types.js';
import { projectDomain, publicUrl, serviceHostnames } from '../../core/proxy/names.js';
import { proxySettings } from '../../core/proxy/proxy-settings.js';
import type { ProjectRoutes } from '../../core/proxy/routes.js';
import type { Supervisor } from '../../core/supervisor/supervisor.js';
import { askProxy, ensureProxy, publicHttpsPort } from './client.js';

/**
 * Whether the HTTPS proxy routes to a service: it has a port and speaks HTTP.
 * A database service (`use = "postgres@16"`) speaks its own protocol, which
 * the proxy cannot forward, so it gets neither a route nor a public URL.
 */
function proxyRoutable(spec: Pick<ServiceSpec, 'port' | 'database'> | undefined): boolean {
  return spec?.port !== undefined && spec.database === undefined;
}

export interface RoutePublisher {
  /** Resolves once the proxy runs and has the first table (or could not be started: see onError). */
  ready: Promise<void>;
  /** Resolves once the proxy has the current table (what `poly up -d` waits for before it returns). */
  flush(): Promise<void>;
  /** Tells the proxy the project went down (its names then answer with poly's page). */
  close(): Promise<void>;
}

/**
 * Keeps the machine's proxy in step with one supervisor: starts the proxy if
 * needed, then publishes the project's whole route table on every state
 * change (up, apply, restart, crash, down). Publishes go out in order, one
 * at a time; a burst of changes coalesces into the latest table.
 * A proxy that cannot start is reported through onError and the services run
 * on without it.
 */
export function startRoutePublisher(o: {
  manifest: Manifest;
  supervisor: Supervisor;
  ctx: PolyContext;
  onError?: (err: Error) => void;
}): RoutePublisher {
  const { env } = o.ctx;
  if (!proxySettings(env, o.ctx.host).enabled)
    return { ready: Promise.resolve(), flush: () => Promise.resolve(), close: () => Promise.resolve() };
  let project = o.manifest.project;
  const table = (): ProjectRoutes => {
    const planned = o.supervisor.planned();
    const domain = projectDomain(project);
    return {
      root: o.manifest.root,
      name: project.name,
      domain,
      pid: process.pid,
      services: o.supervisor
        .status()
        .filter((s) => s.port !== undefined && planned[s.name]?.spec.database === undefined)
        .map((s) => ({
          name: s.name,
          state: s.state,
          hostnames: serviceHostnames(planned[s.name]?.spec ?? { name: s.name }, domain),
          ...(s.port !== undefined ? { port: s.port } : {}),
        })),
    };
  };
  let available = false;
  let queued = false;
  let sending: Promise<unknown> = Promise.resolve();
  const publish = () => {
    if (!available || queued) return;
    queued = true;
    sending = sending.then(() => {
      queued = false;
      return askProxy({ cmd: 'publish', routes: table() }, env);
    });
  };
  // Started once some service has a route: a project of databases only never needs the proxy.
  let ready: Promise<void> | undefined;
  const start = (): Promise<void> => {
    ready ??= ensureProxy(env).then(
      () => {
        available = true;
        publish();
        return sending.then(() => undefined);
      },
      (err: Error) => {
        off();
        o.onError?.(err);
      },
    );
    return ready;
  };
  const routed = () => table().services.length > 0;
  const off = o.supervisor.on((event) => {
    if (event.type !== 'status') return;
    if (ready) publish();
    else if (routed()) void start();
  });
  if (routed()) void start();
  return {
    get ready() {
      return ready ?? Promise.resolve();
    },
    async flush() {
      // After a re-apply: [project] name or domain may have changed with poly.toml.
      project = currentProject(o.manifest) ?? project;
      if (!ready && !routed()) return;
      await start();
      publish();
      await sending;
    },
    async close() {
      if (!ready) {
        off();
        return;
      }
      await ready;
      off();
      if (!available) return;
      // The last table (every service stopped) first, so nothing is forwarded to a freed port meanwhile.
      publish();
      await sending;
      await askProxy({ cmd: 'unpublish', root: o.manifest.root, pid: process.pid }, env);
    },
  };
}

/** [project] as poly.toml says now; undefined when it cannot be read (the last good one stays). */
function currentProject(manifest: Manifest): Manifest['project'] | undefined {
  try {
    const now = loadNearestManifest(manifest.root);
    return now?.root === manifest.root ? now.project : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `<NAME>_PUBLIC_URL` of every service with a port (the service itself included:
 * an app builds its own OAuth callbacks and redirects from it): its https name
 * through the proxy. One function the environment pipeline calls beside the peer
 * variables; empty when the proxy is off.
 */
export function publicUrlEnv(
  services: readonly Pick<ServiceSpec, 'name' | 'hostnames' | 'port' | 'database'>[],
  manifest: Pick<Manifest, 'project'>,
  httpsPort: number | undefined,
): Record<string, string> {
  if (httpsPort === undefined) return {};
  const domain = projectDomain(manifest.project);
  const out: Record<string, string> = {};
  for (const s of services) {
    if (!proxyRoutable(s)) continue;
    const host = serviceHostnames(s, domain)[0];
    if (host) out[`${serviceEnvName(s.name)}_PUBLIC_URL`] = publicUrl(host, httpsPort);
  }
  return out;
}

/**
 * The endpoints with `<NAME>_PUBLIC_URL` attached (the pipeline's seam,
 * PeerEndpoint.variables), from publicUrlEnv(): the same https name from both sides.
 */
export function withPublicUrlVariables(
  endpoints: readonly PeerEndpoint[],
  publicEnv: Readonly<Record<string, string>>,
): PeerEndpoint[] {
  return endpoints.map((endpoint) => {
    const url = publicEnv[`${serviceEnvName(endpoint.name)}_PUBLIC_URL`];
    if (!url) return endpoint;
    const own = endpoint.variables;
    return { ...endpoint, variables: (at) => ({ ...own?.(at), PUBLIC_URL: url }) };
  });
}

/** The public URL of every service of the manifest with a port; empty when the proxy is off. */
export function publicUrlsOf(
  manifest: Pick<Manifest, 'project' | 'services'>,
  ctx: PolyContext,
): Record<string, string> {
  if (!proxySettings(ctx.env, ctx.host).enabled) return {};
  const port = publicHttpsPort(ctx);
  const out: Record<string, string> = {};
  for (const spec of Object.values(manifest.services))
    if (proxyRoutable(spec)) out[spec.name] = servicePublicUrl(spec, manifest, port);
  return out;
}

/** Statuses with their public URL (what ps and the dashboard show). */
export function withPublicUrls<T extends { name: string }>(
  services: T[],
  urls: Record<string, string>,
): Array<T & { publicUrl?: string }> {
  return services.map((s) => (urls[s.name] ? { ...s, publicUrl: urls[s.name] } : s));
}

/** The public URL of one service (for `poly ps`, the dashboard and `poly open`). */
export function servicePublicUrl(
  spec: Pick<ServiceSpec, 'name' | 'hostnames'>,
  manifest: Pick<Manifest, 'project'>,
  httpsPort: number,
): string {
  return publicUrl(serviceHostnames(spec, projectDomain(manifest.project))[0] ?? spec.name, httpsPort);
}
