import type { ServiceState } from '../supervisor/status.js';

/** One service of a project, as its supervisor publishes it to the proxy. */
export interface PublishedService {
  name: string;
  /** Names it is served under (the first is its public URL's). */
  hostnames: string[];
  state: ServiceState;
  /** The host port on 127.0.0.1 (a container service's published port). */
  port?: number;
}

/** What a supervisor publishes: the whole table of its project, replacing the previous one. */
export interface ProjectRoutes {
  /** The project folder (the key: one supervisor per project). */
  root: string;
  name: string;
  domain: string;
  /** The publishing supervisor; its routes are dropped when it is gone (killed with -9). */
  pid: number;
  services: PublishedService[];
}

/** States in which the service's port is its own: anything else answers with poly's page. */
const FORWARDING: readonly ServiceState[] = ['starting', 'healthy', 'unhealthy'];

export type RouteMatch =
  | { kind: 'forward'; project: ProjectRoutes; service: PublishedService; port: number }
  | { kind: 'stopped'; project: ProjectRoutes; service: PublishedService }
  | { kind: 'project'; project: ProjectRoutes }
  | { kind: 'unknown' };

/** The host name of a Host header or :authority, without port and trailing dot, lower case. */
export function hostOf(authority: string | undefined): string {
  if (!authority) return '';
  // Called on every request: slices, no split arrays or regular expressions.
  const end = authority.startsWith('[') ? authority.indexOf(']') + 1 : authority.indexOf(':');
  const host = (end > 0 ? authority.slice(0, end) : authority).toLowerCase();
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/**
 * What a host name leads to. A service is forwarded to only while its
 * supervisor says it runs, and only to the port the supervisor published
 * for it: a stopped service's port may belong to anything by now.
 */
export function matchRoute(projects: Iterable<ProjectRoutes>, host: string): RouteMatch {
  let inDomain: ProjectRoutes | undefined;
  for (const project of projects) {
    for (const service of project.services) {
      if (!service.hostnames.includes(host)) continue;
      if (service.port !== undefined && FORWARDING.includes(service.state))
        return { kind: 'forward', project, service, port: service.port };
      return { kind: 'stopped', project, service };
    }
    if (host === project.domain || host.endsWith(`.${project.domain}`)) inDomain ??= project;
  }
  return inDomain ? { kind: 'project', project: inDomain } : { kind: 'unknown' };
}

/**
 * Every published name with what it leads to, built once per change of the
 * table: a request is then one Map lookup, no scan and no new match object.
 * Names not in it (a project's domain, unknown names) go to matchRoute.
 */
export function indexRoutes(projects: ProjectRoutes[]): Map<string, RouteMatch> {
  const index = new Map<string, RouteMatch>();
  for (const project of projects)
    for (const service of project.services)
      for (const host of service.hostnames) if (!index.has(host)) index.set(host, matchRoute(projects, host));
  return index;
}

/** Checks a publish request from the socket; returns undefined when it is malformed. */
export function parseProjectRoutes(value: unknown): ProjectRoutes | undefined {
  const v = value as Partial<ProjectRoutes> | undefined;
  if (!v || typeof v.root !== 'string' || typeof v.name !== 'string' || typeof v.domain !== 'string') return;
  if (!Number.isInteger(v.pid) || !Array.isArray(v.services)) return;
  const services: PublishedService[] = [];
  for (const s of v.services) {
    if (!s || typeof s.name !== 'string' || typeof s.state !== 'string' || !Array.isArray(s.hostnames))
      return;
    const port = s.port;
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_535)) return;
    services.push({
      name: s.name,
      state: s.state,
      hostnames: s.hostnames.filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase()),
      ...(port !== undefined ? { port } : {}),
    });
  }
  return { root: v.root, name: v.name, domain: v.domain, pid: v.pid as number, services };
}
