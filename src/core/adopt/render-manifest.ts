import type { ProposedEnv, ProposedPin, ProposedService, ProposedTask } from './types.js';

export interface RenderOptions {
  /** Whether this poly's manifest reads env_file written as this TOML value; when not, it is kept as a comment. */
  envFile: (tomlValue: string) => boolean;
}

const HEADER = [
  '# poly.toml: the toolchains and services of this project, written by `poly init`.',
  "# Change a pin with `poly use node@22`; every key is described in poly's project.example.toml.",
];

const EXAMPLE_SERVICE = [
  '# Services are [services.<name>] tables, started by `poly up` (`poly new` writes one), e.g.:',
  '#   [services.api]',
  '#   path = "services/api"',
  '#   run = "npm start"',
  '#   port = 3000',
  '#   health = "/health"',
];

/** What a new poly.toml holds besides its pins and services: a mise.toml's [env] and [tasks]. */
export interface RenderExtras {
  env?: ProposedEnv;
  tasks?: readonly ProposedTask[];
}

/** A new poly.toml: [project], the pins (each saying where it came from), [env], the services, then the tasks. */
export function renderManifest(
  name: string,
  pins: readonly ProposedPin[],
  services: readonly ProposedService[],
  options: RenderOptions,
  extras: RenderExtras = {},
): string {
  const lines = [
    ...HEADER,
    ...(services.length ? [] : EXAMPLE_SERVICE),
    '',
    '[project]',
    `name = ${toml(name)}`,
    '',
    '[runtimes]',
  ];
  lines.push(...pinLines(pins));
  if (pins.length === 0)
    lines.push(
      '# No version files found. Pin runtimes with `poly use <runtime>@<version>`, e.g.:',
      '# node = "22"',
    );
  if (extras.env && Object.keys(extras.env.values).length)
    lines.push('', ...envBlock(extras.env.values, extras.env.source).trimEnd().split('\n'));
  const blocks = [renderServices(services, options), renderTasks(extras.tasks ?? [])]
    .filter(Boolean)
    .join('\n');
  return `${lines.join('\n')}\n${blocks ? `\n${blocks}` : ''}`;
}

/** `[env]  # from mise.toml` and its variables. */
export function envBlock(values: Record<string, string>, source: string): string {
  return `${[`[env]  # from ${source}`, ...Object.entries(values).map(([k, v]) => `${k} = ${toml(v)}`)].join('\n')}\n`;
}

/** The [tasks.*] tables, each headed by the file it came from; blank line between them. */
export function renderTasks(tasks: readonly ProposedTask[]): string {
  return tasks
    .map((t) => {
      const lines = [`[tasks.${t.name}]  # from ${t.source}`];
      const put = (key: string, value: unknown) => {
        if (value !== undefined) lines.push(`${key} = ${toml(value)}`);
      };
      put('description', t.description);
      put('run', t.run);
      put('depends', t.depends);
      put('sources', t.sources);
      put('outputs', t.outputs);
      put('dir', t.dir);
      put('env', t.env);
      put('quiet', t.quiet);
      return `${lines.join('\n')}\n`;
    })
    .join('\n');
}

/** `node = "22"  # from web/.nvmrc (v22.11.0)`, aligned. */
export function pinLines(pins: readonly ProposedPin[]): string[] {
  const assignments = pins.map((p) => `${p.runtime} = ${toml(p.spec)}`);
  const width = Math.max(0, ...assignments.map((a) => a.length));
  return pins.map((p, i) => {
    const from = p.written && p.written !== p.spec ? `${p.source} (${p.written})` : p.source;
    const comment = p.source.startsWith('default') ? p.source : `from ${from}`;
    return `${(assignments[i] ?? '').padEnd(width)}  # ${comment}`;
  });
}

/** The [services.*] tables, each headed by the file it came from; blank line between them. */
export function renderServices(services: readonly ProposedService[], options: RenderOptions): string {
  return services.map((s) => serviceBlock(s, options)).join('\n');
}

function serviceBlock(s: ProposedService, options: RenderOptions): string {
  const lines = [`[services.${s.name}]  # from ${s.source}`];
  const put = (key: string, value: unknown) => {
    if (value !== undefined) lines.push(`${key} = ${toml(value)}`);
  };
  put('image', s.image);
  put('build', s.build);
  if (s.path !== undefined && s.path !== '.') put('path', s.path);
  put('runtime', s.runtime);
  put('run', s.run);
  put('port', s.port);
  put('health', s.health);
  if (s.depends_on?.length) put('depends_on', s.depends_on);
  if (s.env && Object.keys(s.env).length) put('env', s.env);
  if (s.env_file?.length) {
    const value = s.env_file.length === 1 ? s.env_file[0] : s.env_file;
    if (options.envFile(toml(value))) put('env_file', value);
    else
      lines.push(
        `# env_file = ${toml(value)}  # this poly does not read env_file yet: put these variables in env`,
      );
  }
  put('restart', s.restart);
  put('stop_timeout', s.stop_timeout);
  return `${lines.join('\n')}\n`;
}

/** A TOML value: strings as basic strings, arrays, and inline tables with bare keys where allowed. */
export function toml(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value).replace(/\u007f/g, '\\u007f');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(toml).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k)} = ${toml(v)}`).join(', ')} }`;
  }
  return '""';
}
