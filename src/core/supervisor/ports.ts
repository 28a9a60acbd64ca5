import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { PolyError } from '../errors.js';
import { writeFileAtomic } from '../store/atomic-write.js';

export const LOOPBACK = '127.0.0.1';

/** True when nothing listens on 127.0.0.1:port (a wildcard listener counts as listening). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the kernel says is free right now. */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: LOOPBACK }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PortHolder {
  pid: number;
  command: string;
}

/**
 * Who listens on a TCP port, where that can be found: on Linux by matching the
 * socket inode from /proc/net/tcp{,6} against /proc/<pid>/fd (only our own
 * user's processes are readable); elsewhere through `lsof`. Undefined when unknown.
 */
export async function findPortHolder(port: number): Promise<PortHolder | undefined> {
  if (process.platform === 'linux') return findPortHolderLinux(port);
  try {
    // Only here (macOS): execa is most of the bytes the up path would load for nothing on Linux.
    const { execa } = await import('execa');
    const { stdout } = await execa('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-t'], { reject: false });
    const pid = Number.parseInt(stdout.split('\n')[0] ?? '', 10);
    if (!pid) return undefined;
    const ps = await execa('ps', ['-o', 'command=', '-p', String(pid)], { reject: false });
    return { pid, command: ps.stdout.trim() };
  } catch {
    return undefined;
  }
}

function findPortHolderLinux(port: number): PortHolder | undefined {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols[1] = local address:port (hex), cols[3] = state (0A = LISTEN), cols[9] = inode
      if (cols[3] === '0A' && cols[1]?.endsWith(`:${hexPort}`) && cols[9]) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    for (const fd of safeReaddir(`/proc/${entry}/fd`)) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match?.[1] && inodes.has(match[1])) {
        let command = '';
        try {
          command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
        } catch {}
        return { pid: Number(entry), command };
      }
    }
  }
  return undefined;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A fixed port already taken: the error names the port and, where found, the process holding it. */
export async function portInUseError(service: string, port: number): Promise<PolyError> {
  const holder = await findPortHolder(port);
  const who = holder ? ` by pid ${holder.pid} (${truncate(holder.command, 80)})` : '';
  return new PolyError('PORT_IN_USE', `service ${service}: port ${port} is already in use${who}`, {
    hint: holder
      ? `Stop that process (kill ${holder.pid}), or set port = "auto" in [services.${service}].`
      : `Stop whatever listens on ${port}, or set port = "auto" in [services.${service}].`,
  });
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Ports chosen for `port = "auto"`, by service, kept in .poly/state/ports.json across runs. */
export function readSavedPorts(file: string): Record<string, number> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!data || typeof data !== 'object') return {};
    const out: Record<string, number> = {};
    for (const [name, port] of Object.entries(data))
      if (Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536)
        out[name] = port as number;
    return out;
  } catch {
    return {};
  }
}

export function writeSavedPorts(file: string, ports: Record<string, number>): void {
  writeFileAtomic(file, `${JSON.stringify(ports, null, 2)}\n`);
}

/**
 * Assigns every service its port: fixed ports must be free; "auto" ports reuse
 * the saved one when it is still free, else get a new free one (and are saved).
 * `ours` are ports the project's running services hold while a new plan is
 * applied to them: each is kept by the same service or freed before anything
 * starts on it, so only foreign holders are conflicts.
 */
export async function assignPorts(
  wanted: Record<string, number | 'auto' | undefined>,
  savedFile: string,
  ours: readonly number[] = [],
): Promise<Record<string, number>> {
  const saved = readSavedPorts(savedFile);
  const assigned: Record<string, number> = {};
  const taken = new Map<number, string>();
  const held = new Set(ours);
  const free = async (port: number) => held.has(port) || (await isPortFree(port));
  for (const [name, port] of Object.entries(wanted)) {
    if (typeof port !== 'number') continue;
    const other = taken.get(port);
    if (other !== undefined)
      throw new PolyError(
        'PORT_IN_USE',
        `service ${name}: port ${port} is already used by service ${other}`,
        {
          hint: `Give one of them another port, or port = "auto" in [services.${name}].`,
        },
      );
    if (!(await free(port))) throw await portInUseError(name, port);
    assigned[name] = port;
    taken.set(port, name);
  }
  let changed = false;
  for (const [name, port] of Object.entries(wanted)) {
    if (port !== 'auto') continue;
    const previous = saved[name];
    let chosen: number | undefined;
    if (previous && !taken.has(previous) && (await free(previous))) chosen = previous;
    while (chosen === undefined || taken.has(chosen)) chosen = await pickFreePort();
    if (chosen !== previous) changed = true;
    assigned[name] = chosen;
    saved[name] = chosen;
    taken.set(chosen, name);
  }
  if (changed) writeSavedPorts(savedFile, saved);
  return assigned;
}
