import { IMAGE_HEALTHCHECK, type ServiceStatus, type SupervisorEvent } from '../core/supervisor/status.js';

/** The plain-text twin of the dashboard: `api | listening on 3000`, like docker compose. */

const PALETTE = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94];

/** Colour when writing to a terminal or FORCE_COLOR asks for it; never with NO_COLOR. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}

export class ServiceLinePrinter {
  private readonly width: number;
  private readonly colors = new Map<string, number>();

  constructor(
    names: string[],
    private readonly write: (text: string) => void,
    private readonly color: boolean,
  ) {
    this.width = Math.max(0, ...names.map((n) => n.length));
    names.forEach((name, i) => {
      this.colors.set(name, PALETTE[i % PALETTE.length] ?? 36);
    });
  }

  line(service: string, text: string): void {
    const name = service.padEnd(this.width);
    const prefix = this.color ? `\x1b[${this.colors.get(service) ?? 36}m${name} |\x1b[0m` : `${name} |`;
    this.write(`${prefix} ${text}\n`);
  }

  /** Prints log lines and the state changes worth a line. */
  event(event: SupervisorEvent): void {
    if (event.type === 'line') {
      this.line(event.service, event.line);
      return;
    }
    const s = event.status;
    if (isPreparing(s)) {
      // A pull updates its progress line several times a second: print only its first line.
      if (s.message && !this.preparing.has(s.name)) {
        this.preparing.add(s.name);
        this.line(s.name, `[poly] ${s.message}`);
      }
      return;
    }
    this.preparing.delete(s.name);
    const text = describeTransition(s);
    if (text && this.lastState.get(s.name) !== text) {
      this.lastState.set(s.name, text);
      this.line(s.name, `[poly] ${text}`);
    }
  }

  private readonly lastState = new Map<string, string>();
  /** Services whose first pull/build line of the current start was printed. */
  private readonly preparing = new Set<string>();
}

/** Starting, with no process or container yet: its image is pulled or built. */
function isPreparing(s: ServiceStatus): boolean {
  return s.state === 'starting' && s.pid === undefined && s.containerId === undefined;
}

function describeTransition(s: ServiceStatus): string | undefined {
  switch (s.state) {
    case 'waiting':
      return s.message;
    case 'starting':
      if (s.containerId)
        return `started (container ${s.containerId}${s.url || s.address ? `, ${s.url ?? s.address}` : ''})`;
      return s.pid
        ? `started (pid ${s.pid}${s.url || s.address ? `, ${s.url ?? s.address}` : ''})`
        : undefined;
    case 'healthy':
      return `healthy (${s.check}${s.healthyAt && s.startedAt ? ` after ${s.healthyAt - s.startedAt} ms` : ''})`;
    case 'unhealthy':
    case 'crash-loop':
    case 'failed':
      return `${s.state}: ${s.message ?? ''}`;
    case 'stopped':
      return 'stopped';
    default:
      return undefined;
  }
}

/** `poly ps` as a table. */
export function formatServiceTable(services: ServiceStatus[], now = Date.now()): string {
  if (services.some((s) => s.publicUrl)) return withPublicColumn(services, now);
  const rows = [
    ['SERVICE', 'STATE', 'RUNTIME', 'URL', 'PID/CONTAINER', 'HEALTH', 'RESTARTS', 'UPTIME'],
    ...services.map((s) => [
      s.name,
      s.state,
      s.runtime ?? s.mode,
      s.url ?? s.address ?? '-',
      s.pid ? String(s.pid) : (s.containerId ?? '-'),
      describeHealth(s),
      String(s.restarts),
      formatUptime(s.startedAt, now),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `poly ps` with the proxy on: the PUBLIC URL column after URL. */
function withPublicColumn(services: ServiceStatus[], now: number): string {
  const plain = formatServiceTable(
    services.map(({ publicUrl, ...s }) => s),
    now,
  ).split('\n');
  const cells = ['PUBLIC URL', ...services.map((s) => s.publicUrl ?? '-')];
  const width = Math.max(...cells.map((c) => c.length));
  // Inserted before PID/CONTAINER, whose start the header line tells.
  const at = plain[0]?.indexOf('PID/CONTAINER') ?? -1;
  return plain
    .map((line, i) =>
      `${line.slice(0, at).padEnd(at)}${(cells[i] ?? '').padEnd(width)}  ${line.slice(at)}`.trimEnd(),
    )
    .join('\n');
}

/** The HEALTH column: the check, with the image HEALTHCHECK's status when there is one. */
export function describeHealth(s: ServiceStatus): string {
  if (!s.imageHealth) return s.check;
  if (s.check === IMAGE_HEALTHCHECK) return `${IMAGE_HEALTHCHECK}: ${s.imageHealth}`;
  return `${s.check} (image: ${s.imageHealth})`;
}

export function formatUptime(startedAt: number | undefined, now = Date.now()): string {
  if (startedAt === undefined) return '-';
  const s = Math.max(0, Math.floor((now - startedAt) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
