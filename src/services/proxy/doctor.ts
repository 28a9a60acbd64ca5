import type { PolyContext } from '../../core/context.js';
import type { Finding } from '../../core/env/doctor.js';
import { privilegedPortHint, privilegedPortReason } from '../../core/proxy/privileged-port.js';
import { proxySettings } from '../../core/proxy/proxy-settings.js';
import { runningProxy } from './client.js';

const WHY_443: Record<string, string> = {
  root: 'poly runs as root',
  sysctl: 'net.ipv4.ip_unprivileged_port_start allows it',
  capability: 'node has cap_net_bind_service',
  macos: 'macOS lets any user bind it',
};

/** `poly doctor`: which port the HTTPS proxy uses, and how to get 443 when it is not. */
export async function proxyFinding(ctx: PolyContext): Promise<Finding> {
  const { env } = ctx;
  const settings = proxySettings(env, ctx.host);
  if (!settings.enabled)
    return {
      id: 'proxy',
      status: 'ok',
      message: 'HTTPS proxy turned off (proxy.enabled = false): services are reached at 127.0.0.1:<port>',
    };
  const running = await runningProxy(env);
  const port = running?.httpsPort ?? settings.httpsPort;
  const where = `${running ? `runs (pid ${running.pid}) on` : 'will listen on'} ${running?.host ?? settings.host}:${port}`;
  if (port === 443)
    return {
      id: 'proxy',
      status: 'ok',
      message: `HTTPS proxy ${where}: https://<service>.<project>.localhost (${WHY_443[settings.portFrom] ?? 'proxy.port = 443'})`,
    };
  const canBind = privilegedPortReason(ctx.host.os) !== undefined;
  return {
    id: 'proxy',
    status: 'ok',
    message: `HTTPS proxy ${where}: https://<service>.<project>.localhost:${port}${settings.portFrom === 'setting' ? ' (proxy.port)' : ''}`,
    fix: canBind
      ? 'poly may bind 443: `poly config unset proxy.port` to use it.'
      : `For URLs without a port, let poly bind 443: ${privilegedPortHint()}.`,
  };
}
