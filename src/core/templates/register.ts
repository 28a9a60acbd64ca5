import { readFileSync } from 'node:fs';
import { stringify } from 'smol-toml';
import { EXIT_USAGE, PolyError } from '../errors.js';
import { editManifestSource } from '../manifest/edit.js';
import { parseManifest } from '../manifest/load.js';
import type { Manifest, RuntimeName } from '../manifest/types.js';
import { writeFileAtomic } from '../store/atomic-write.js';

export interface ServiceEntry {
  name: string;
  /** Relative to the project root, forward slashes. */
  path: string;
  runtime: RuntimeName;
  run: string;
  port: number;
  health: string;
  /** Written as health = { path, start_period } when the tree needs longer than the default to start. */
  startPeriod?: string;
  /** [services.<name>.tasks]: task name -> command (test, build, lint), or one with dependencies. */
  tasks?: Record<string, string | ServiceTask>;
  /** The service's own env (written inline; values may hold ${...} interpolation). */
  env?: Record<string, string>;
  depends_on?: string[];
  /** A database service added before the new one (`poly new ... --with postgres` in a project without one). */
  database?: { name: string; use: string };
}

export interface ServiceTask {
  run: string;
  depends: string[];
}

/**
 * The port for a new service: `wanted` when no other service of the project uses
 * it, else (unless the user asked for exactly that port) the next free one above.
 */
export function choosePort(manifest: Manifest, wanted: number, explicit: boolean): number {
  const used = new Map<number, string>();
  for (const service of Object.values(manifest.services)) {
    if (typeof service.port === 'number') used.set(service.port, service.name);
  }
  if (explicit) {
    const owner = used.get(wanted);
    if (owner) {
      throw new PolyError(
        'PORT_IN_USE',
        `port ${wanted} is already used by service "${owner}" in poly.toml`,
        {
          hint: 'Pick another --port, or leave it out and poly picks a free one.',
          exitCode: EXIT_USAGE,
        },
      );
    }
    return wanted;
  }
  let port = wanted;
  while (used.has(port)) port++;
  if (port > 65535) throw new PolyError('NO_FREE_PORT', `no free port at or above ${wanted}`);
  return port;
}

/**
 * poly.toml's text with the runtime pinned (when `pin` is given) and a
 * [services.<name>] section added. The pin goes through the format-preserving
 * editor; the section is appended as text, because the editor writes a new
 * nested table as an inline table or a dotted key at the top of the file. The
 * result is parsed and validated here: a manifest this would break throws.
 */
export function registrationSource(
  manifest: Manifest,
  source: string,
  entry: ServiceEntry,
  pin: string | undefined,
): string {
  if (manifest.services[entry.name]) {
    throw new PolyError('SERVICE_EXISTS', `poly.toml already has a service named "${entry.name}"`, {
      hint: `Choose another name, or remove [services.${entry.name}] first.`,
      exitCode: EXIT_USAGE,
    });
  }
  let text = source;
  if (pin !== undefined) {
    text = editManifestSource(text, manifest.file, (doc) => {
      const runtimes = (doc.runtimes ?? {}) as Record<string, unknown>;
      runtimes[entry.runtime] = pin;
      doc.runtimes = runtimes;
    });
  }
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  if (entry.database && manifest.services[entry.database.name]) {
    throw new PolyError('SERVICE_EXISTS', `poly.toml already has a service named "${entry.database.name}"`, {
      hint: 'Nothing was written. Remove or rename that service, then run poly new again.',
      exitCode: EXIT_USAGE,
    });
  }
  const body = stringify({
    path: entry.path,
    runtime: entry.runtime,
    run: entry.run,
    port: entry.port,
    ...(entry.startPeriod ? {} : { health: entry.health }),
    ...(entry.depends_on?.length ? { depends_on: entry.depends_on } : {}),
  }).trimEnd();
  // smol-toml writes a nested table as its own [section]: the inline form is written here.
  const health = entry.startPeriod
    ? `\nhealth = { path = ${JSON.stringify(entry.health)}, start_period = ${JSON.stringify(entry.startPeriod)} }`
    : '';
  const env = entry.env && Object.keys(entry.env).length ? `\nenv = ${inlineTable(entry.env)}` : '';
  const tasks =
    entry.tasks && Object.keys(entry.tasks).length
      ? `\n[services.${entry.name}.tasks]\n${taskLines(entry.tasks)}\n`
      : '';
  const database = entry.database
    ? `[services.${entry.database.name}]\nuse = ${JSON.stringify(entry.database.use)}\n\n`
    : '';
  const section = `${database}[services.${entry.name}]\n${body}${health}${env}\n${tasks}`.replace(
    /\n/g,
    newline,
  );
  const trimmed = text.replace(/(\r?\n)*$/, '');
  text = trimmed.length === 0 ? section : `${trimmed}${newline}${newline}${section}`;
  parseManifest(text, manifest.file);
  return text;
}

/** Checks, without writing, that registering yields a valid poly.toml. Throws what writing would. */
export function checkRegistration(manifest: Manifest, entry: ServiceEntry, pin: string | undefined): void {
  registrationSource(manifest, readFileSync(manifest.file, 'utf8'), entry, pin);
}

/** Adds [services.<name>] (and the runtime pin) to poly.toml, keeping the rest of the file as it was. */
export function registerService(manifest: Manifest, entry: ServiceEntry, pin: string | undefined): Manifest {
  const text = registrationSource(manifest, readFileSync(manifest.file, 'utf8'), entry, pin);
  writeFileAtomic(manifest.file, text);
  return parseManifest(text, manifest.file);
}

/** `name = "command"`, or `name = { run = "...", depends = [...] }`: smol-toml would write a table as its own [section]. */
function taskLines(tasks: Record<string, string | ServiceTask>): string {
  return Object.entries(tasks)
    .map(([name, task]) =>
      typeof task === 'string'
        ? stringify({ [name]: task }).trimEnd()
        : `${name} = { run = ${JSON.stringify(task.run)}, depends = [${task.depends.map((d) => JSON.stringify(d)).join(', ')}] }`,
    )
    .join('\n');
}

function inlineTable(values: Record<string, string>): string {
  const pairs = Object.entries(values).map(
    ([k, v]) => `${/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k)} = ${JSON.stringify(v)}`,
  );
  return `{ ${pairs.join(', ')} }`;
}
