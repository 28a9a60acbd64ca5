import { type Checker, describeValue } from './checker.js';

/**
 * Names the HTTPS proxy serves. Only names under `localhost` are accepted:
 * browsers and curl resolve them to loopback with no DNS or /etc/hosts change,
 * and the local CA is name-constrained to them, so it can never vouch for a
 * real site.
 */
const LOCAL_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*localhost$/;

function isLocalHostname(value: string): boolean {
  return value.length <= 253 && LOCAL_NAME.test(value);
}

/** `[project] domain = "shop.localhost"`: the suffix of every service's name. */
export function domainOf(value: unknown, check: Checker): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isLocalHostname(value) || value === 'localhost')
    check.fail(
      ['project', 'domain'],
      `project.domain must be a lower-case name ending in ".localhost", got ${describeValue(value)}`,
      'Write e.g. domain = "shop.localhost"; services are then served as https://<service>.shop.localhost.',
    );
  return value as string;
}

/** `[services.x] hostnames = ["shop.localhost"]`: extra names the proxy serves the service under. */
export function hostnamesOf(value: unknown, path: string[], check: Checker): string[] | undefined {
  if (value === undefined) return undefined;
  const dotted = path.join('.');
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    check.fail(
      path,
      `${dotted} must be an array of host names, got ${describeValue(value)}`,
      'Write hostnames = ["shop.localhost"].',
    );
  for (const name of value as string[])
    if (!isLocalHostname(name))
      check.fail(
        path,
        `${dotted}: ${JSON.stringify(name)} is not a lower-case name ending in ".localhost"`,
        'The proxy serves names under localhost only (they resolve to this machine without DNS): e.g. "shop.localhost".',
      );
  return value as string[];
}
