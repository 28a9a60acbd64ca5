import type { ProposedEnvFile, ProposedHealth } from './types.js';

/** What one compose value became, plus what the report should say about it. */
export interface Converted<T> {
  value?: T;
  notes: string[];
}

/** The first TCP port mapping: `"8080:80"`, `"127.0.0.1:8080:80"`, `"80"`, `"${PORT:-8080}:80"`, `{ target, published }`. */
export function composePort(ports: unknown): Converted<{ container: number; host?: number }> {
  if (!Array.isArray(ports) || ports.length === 0) return { notes: [] };
  const notes: string[] = [];
  const parsed = ports.map(onePort);
  const tcp = parsed.filter((p): p is { container: number; host?: number } => p !== undefined);
  const first = tcp[0];
  if (tcp.length > 1 || parsed.length > tcp.length)
    notes.push(
      `ports: poly gives a service one port; kept ${first ? portText(first) : 'none'} and left out ${ports
        .filter((_, i) => first === undefined || parsed[i] !== first)
        .map((p) => JSON.stringify(p))
        .join(', ')}`,
    );
  return { ...(first ? { value: first } : {}), notes };
}

function portText(p: { container: number; host?: number }): string {
  return p.host === undefined ? String(p.container) : `${p.host}:${p.container}`;
}

function onePort(entry: unknown): { container: number; host?: number } | undefined {
  if (typeof entry === 'number') return { container: entry };
  if (typeof entry === 'object' && entry !== null) {
    const e = entry as { target?: unknown; published?: unknown; protocol?: unknown };
    if (e.protocol === 'udp' || typeof e.target !== 'number') return undefined;
    const host = Number(e.published);
    return { container: e.target, ...(Number.isInteger(host) && host > 0 ? { host } : {}) };
  }
  if (typeof entry !== 'string') return undefined;
  const m =
    /^(?:(?:\[[^\]]+\]|\d+\.\d+\.\d+\.\d+|\$\{[^}]*\}):)?(?:(\d+|\$\{[^}]*\})(?:-\d+)?:)?(\d+)(?:-\d+)?(?:\/(tcp|udp))?$/.exec(
      withDefaults(entry.trim()),
    );
  if (!m?.[2] || m[3] === 'udp') return undefined;
  const host = m[1] && /^\d+$/.test(m[1]) ? Number(m[1]) : undefined;
  return { container: Number(m[2]), ...(host !== undefined ? { host } : {}) };
}

/**
 * compose interpolates the file before it reads a port: `${API_PORT:-8000}`
 * and `${API_PORT-8000}` become their default here (what compose does with
 * the variable unset). A variable without a default stays, and counts only
 * where it names the host side, which poly does not keep anyway.
 */
function withDefaults(text: string): string {
  return text.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, (_, fallback: string) => fallback);
}

/** compose durations ("1m30s", "500ms", "10s") -> poly's ("90s", "500ms"). */
export function composeDuration(value: unknown): string | undefined {
  if (typeof value === 'number') return `${value}s`;
  if (typeof value !== 'string') return undefined;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g;
  let ms = 0;
  let consumed = '';
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const n = Number(m[1]);
    ms += n * ({ h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, ns: 0.000001 }[m[2] as string] ?? 0);
    consumed += m[0];
  }
  if (consumed !== value.trim() || consumed === '') return undefined;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

/** `environment` as a map or a `KEY=value` list; keys without a value come from the shell in compose. */
export function composeEnvironment(env: unknown): Converted<Record<string, string>> {
  const out: Record<string, string> = {};
  const fromShell: string[] = [];
  const badNames: string[] = [];
  const put = (key: string, value: unknown) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) badNames.push(key);
    else if (value === null || value === undefined) fromShell.push(key);
    else out[key] = String(value);
  };
  if (Array.isArray(env)) {
    for (const item of env) {
      const text = String(item);
      const eq = text.indexOf('=');
      if (eq < 0) put(text, undefined);
      else put(text.slice(0, eq), text.slice(eq + 1));
    }
  } else if (typeof env === 'object' && env !== null) {
    for (const [k, v] of Object.entries(env)) put(k, v);
  }
  const notes = fromShell.length
    ? [
        `environment ${fromShell.join(', ')}: compose takes ${fromShell.length > 1 ? 'them' : 'it'} from your shell; poly.toml has no such entry, so ${fromShell.length > 1 ? 'they were' : 'it was'} left out (put ${fromShell.length > 1 ? 'them' : 'it'} in an env_file or [env])`,
      ]
    : [];
  if (badNames.length)
    notes.push(
      `environment ${badNames.join(', ')}: poly.toml takes variable names of letters, digits and _ only; left out (set ${badNames.length > 1 ? 'them' : 'it'} in the service's own config)`,
    );
  return { ...(Object.keys(out).length ? { value: out } : {}), notes };
}

/** env_file: a path, a list, or `{ path, required }` items, in the manifest's form. */
export function composeEnvFile(value: unknown): ProposedEnvFile[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const out: ProposedEnvFile[] = [];
  for (const item of items) {
    if (typeof item === 'string') out.push(item);
    else if (
      typeof item === 'object' &&
      item !== null &&
      typeof (item as { path?: unknown }).path === 'string'
    ) {
      const { path, required } = item as { path: string; required?: unknown };
      out.push(required === false ? { path, required: false } : path);
    }
  }
  return out;
}

/** `["CMD", "a", "b"]` -> `a b` (quoted where needed); `["CMD-SHELL", "x"]` and a string -> as written. */
export function healthTestCommand(test: unknown): string | undefined | 'NONE' {
  if (typeof test === 'string') return test.trim() || undefined;
  if (!Array.isArray(test) || test.length === 0) return undefined;
  const [kind, ...rest] = test.map(String);
  if (kind === 'NONE') return 'NONE';
  if (kind === 'CMD-SHELL') return rest.join(' ');
  if (kind === 'CMD') return rest.map(shellQuote).join(' ');
  return undefined;
}

export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `curl -f http://localhost:8080/health` or `wget -qO- http://127.0.0.1:8080/health`: an HTTP check poly can make itself. */
export function httpPathOfTest(cmd: string, port: number | undefined): string | undefined {
  if (!/^\s*(curl|wget)\b/.test(cmd)) return undefined;
  const m = /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::(\d+))?(\/[^\s'"|;&]*)?/.exec(cmd);
  if (!m) return undefined;
  const testPort = m[1] ? Number(m[1]) : 80;
  if (port !== undefined && testPort !== port) return undefined;
  return m[2] || '/';
}

/** healthcheck timing keys compose and poly share. */
export function healthTiming(
  hc: Record<string, unknown>,
): Converted<Omit<Exclude<ProposedHealth, string>, 'path' | 'tcp' | 'cmd'>> {
  const out: Record<string, string | number> = {};
  const notes: string[] = [];
  for (const key of ['interval', 'timeout', 'start_period'] as const) {
    if (hc[key] === undefined) continue;
    const d = composeDuration(hc[key]);
    if (d) out[key] = d;
    else
      notes.push(
        `healthcheck.${key} ${JSON.stringify(hc[key])} is not a duration poly reads; left at poly's default`,
      );
  }
  if (typeof hc.retries === 'number' && Number.isInteger(hc.retries) && hc.retries > 0)
    out.retries = hc.retries;
  if (hc.start_interval !== undefined)
    notes.push(
      'healthcheck.start_interval: poly checks every 25 ms in the first second, then backs off to interval',
    );
  return { value: out, notes };
}

export function restartOf(
  value: unknown,
  say: (m: string) => void,
): 'on-failure' | 'always' | 'no' | undefined {
  if (value === undefined) return undefined;
  const v = String(value);
  if (v === 'no' || v === 'always') return v;
  if (v.startsWith('on-failure')) return 'on-failure';
  if (v === 'unless-stopped') {
    say('restart unless-stopped: poly restarts it always while poly up runs (restart = "always")');
    return 'always';
  }
  return undefined;
}

/** stop_grace_period ("1m30s", "10s", or seconds) in seconds, poly's number form of stop_timeout. */
export function stopSeconds(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(String(value));
  if (typeof value === 'number') return value;
  if (!m || (!m[1] && !m[2])) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}
