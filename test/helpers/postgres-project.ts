import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PolyOutcome, polyIn } from './poly-cli.js';

/** A project folder for database tests; `env` shares one store, so PostgreSQL installs once per file. */
export interface DatabaseProject {
  root: string;
  env: NodeJS.ProcessEnv;
  write(relative: string, content: string): void;
  poly(...args: string[]): Promise<PolyOutcome>;
}

export function storeEnv(dir: string, mirrorEnv: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...mirrorEnv,
    POLY_HOME: join(dir, 'home'),
    POLY_CONFIG_DIR: join(dir, 'config'),
    NO_COLOR: '1',
    CI: '',
  };
}

export function databaseProject(
  parent: string,
  name: string,
  manifest: string,
  env: NodeJS.ProcessEnv,
): DatabaseProject {
  const root = join(parent, name);
  const write = (relative: string, content: string) => {
    const file = join(root, relative);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
  };
  write('poly.toml', `[project]\nname = "${name}"\n\n${manifest}`);
  return { root, env, write, poly: (...args) => polyIn(env, root, args, 180_000) };
}

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs SQL through node-postgres, a real client over the real protocol; returns the rows. */
export async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** The environment a peer service wrote to `file` (JSON of process.env). */
export function peerEnvFrom(file: string): Record<string, string> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}

/** A native peer that writes its environment to env.json and then idles. */
export const PEER_SERVICE = `[services.api]
run = "node -e \\"require('fs').writeFileSync('env.json', JSON.stringify(process.env)); setInterval(() => {}, 1e9)\\""
depends_on = ["db"]
`;

/** Polls an async probe until it returns a value. */
export async function waitForAsync<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
