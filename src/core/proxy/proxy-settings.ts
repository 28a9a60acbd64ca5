import type { Host } from '../context.js';
import { effectiveSetting } from '../settings/effective.js';
import { DEFAULT_PROXY_HTTP_PORT, DEFAULT_PROXY_PORT } from './names.js';
import { type PrivilegedPortReason, privilegedPortReason } from './privileged-port.js';

export interface ProxySettings {
  enabled: boolean;
  /** 127.0.0.1, or 0.0.0.0 with proxy.lan = true. */
  host: string;
  httpsPort: number;
  /** undefined: no http:// redirect listener. */
  httpPort?: number;
  /** Why httpsPort is what it is. */
  portFrom: 'setting' | PrivilegedPortReason | 'default';
}

/**
 * Where the proxy listens. A `proxy.port` the user set wins; otherwise 443
 * when this user may bind it, else 8443 (printed by `poly up` and `poly doctor`).
 */
export function proxySettings(env: NodeJS.ProcessEnv, host: Host): ProxySettings {
  const enabled = effectiveSetting('proxy.enabled', env)?.value !== 'false';
  const lan = effectiveSetting('proxy.lan', env)?.value === 'true';
  const reason = privilegedPortReason(host.os);
  const port = effectiveSetting('proxy.port', env)?.value;
  const httpPort = effectiveSetting('proxy.http_port', env)?.value;
  const https = port !== undefined && port !== '0' ? Number(port) : reason ? 443 : DEFAULT_PROXY_PORT;
  const http = httpPort !== undefined ? Number(httpPort) : reason ? 80 : DEFAULT_PROXY_HTTP_PORT;
  return {
    enabled,
    host: lan ? '0.0.0.0' : '127.0.0.1',
    httpsPort: https,
    ...(http > 0 ? { httpPort: http } : {}),
    portFrom: port !== undefined && port !== '0' ? 'setting' : (reason ?? 'default'),
  };
}
