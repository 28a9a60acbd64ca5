import type { ProjectSection, ServiceSpec } from '../manifest/types.js';

/** Default HTTPS port when poly may not bind 443 (`poly config set proxy.port` changes it). */
export const DEFAULT_PROXY_PORT = 8443;
/** Default port of the http:// listener that redirects to https:// when poly may not bind 80. */
export const DEFAULT_PROXY_HTTP_PORT = 8480;

/** A DNS label from a project or service name: lower case, a-z 0-9 and '-'. */
export function dnsLabel(name: string): string {
  const label = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return label || 'project';
}

/** The suffix of a project's names: `[project] domain`, else `<name>.localhost`. */
export function projectDomain(project: ProjectSection): string {
  return project.domain ?? `${dnsLabel(project.name)}.localhost`;
}

/** Every name a service is served under: `<service>.<domain>` first, then its `hostnames`. */
export function serviceHostnames(spec: Pick<ServiceSpec, 'name' | 'hostnames'>, domain: string): string[] {
  const names = [`${dnsLabel(spec.name)}.${domain}`, ...(spec.hostnames ?? [])];
  return [...new Set(names)];
}

/** `https://web.shop.localhost` (443) or `https://web.shop.localhost:8443`. */
export function publicUrl(hostname: string, httpsPort: number): string {
  return `https://${hostname}${httpsPort === 443 ? '' : `:${httpsPort}`}`;
}
