import { readFileSync } from 'node:fs';

/** CAP_NET_BIND_SERVICE's bit in /proc/<pid>/status CapEff. */
const CAP_NET_BIND_SERVICE = 10n;

export type PrivilegedPortReason = 'root' | 'sysctl' | 'capability' | 'macos';

/**
 * Why this process may bind ports below 1024 (443, 80), or undefined when it
 * may not. The proxy runs under the same node binary and user, so what holds
 * here holds there. `os`: the OS poly runs on (the context's host.os).
 */
export function privilegedPortReason(os: string, port = 443): PrivilegedPortReason | undefined {
  // macOS lets any user bind low ports since 10.14 (Mojave).
  if (os === 'darwin') return 'macos';
  if (os !== 'linux') return undefined;
  if (process.getuid?.() === 0) return 'root';
  const start = readNumber('/proc/sys/net/ipv4/ip_unprivileged_port_start');
  if (start !== undefined && start <= port) return 'sysctl';
  if (hasBindCapability()) return 'capability';
  return undefined;
}

function readNumber(file: string): number | undefined {
  try {
    const n = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

function hasBindCapability(): boolean {
  try {
    const line = readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('CapEff:'));
    if (!line) return false;
    return ((BigInt(`0x${line.split(/\s+/)[1]}`) >> CAP_NET_BIND_SERVICE) & 1n) === 1n;
  } catch {
    return false;
  }
}

/** How to get 443 without running poly as root (for `poly doctor`). */
export function privilegedPortHint(): string {
  return [
    'sudo sysctl net.ipv4.ip_unprivileged_port_start=443 (add it to /etc/sysctl.d/ to keep it),',
    `or sudo setcap cap_net_bind_service=+ep ${process.execPath}`,
  ].join(' ');
}
