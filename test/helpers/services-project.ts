import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedSystemInstalls } from './seed-installs.js';

/**
 * A throw-away project with tiny node services. Every process started for it
 * carries POLY_TEST_TOKEN in its environment (through [env]), so the process
 * table can be searched for anything of it that survived.
 */
export interface ServicesProject {
  root: string;
  token: string;
  /** POLY_HOME / POLY_CONFIG_DIR in temp dirs, plus the token. */
  env: NodeJS.ProcessEnv;
  write(relative: string, content: string): void;
  cleanup(): void;
}

export function makeServicesProject(
  manifestBody: string,
  files: Record<string, string> = {},
): ServicesProject {
  const root = mkdtempSync(join(tmpdir(), 'poly-sup-'));
  const token = randomBytes(8).toString('hex');
  const write = (relative: string, content: string) => {
    const file = join(root, relative);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
  };
  write('poly.toml', `[project]\nname = "t"\n\n[env]\nPOLY_TEST_TOKEN = "${token}"\n\n${manifestBody}`);
  for (const [path, content] of Object.entries(files)) write(path, content);
  // poly up installs what the manifest pins: give it the machine's own toolchains
  // (symlinked into the store) so these tests exercise the supervisor, not downloads.
  seedSystemInstalls(join(root, '.home', 'installs'));
  return {
    root,
    token,
    env: {
      ...process.env,
      POLY_HOME: join(root, '.home'),
      POLY_CONFIG_DIR: join(root, '.config'),
      NO_COLOR: '1',
      // The HTTPS proxy is machine-wide: only the proxy tests turn it on (with ports of their own).
      POLY_PROXY: process.env.POLY_PROXY ?? 'off',
    },
    write,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Live (non-zombie) processes whose environment holds the token. */
export function processesWithToken(token: string): Array<{ pid: number; cmd: string }> {
  const found: Array<{ pid: number; cmd: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z' || state === 'X') continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (!environ.includes(`POLY_TEST_TOKEN=${token}`)) continue;
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), cmd });
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return found;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A node HTTP service: listens on $PORT after `delayMs`, answers /health,
 * and logs its start time. `body` runs before listening (may use `log`).
 */
export function nodeService(options: { delayMs?: number; body?: string; handler?: string } = {}): string {
  return `const http = require('node:http');
const log = (...a) => console.log(...a);
log('started at', Date.now());
${options.body ?? ''}
const handler = ${options.handler ?? "(req, res) => res.end('ok ' + req.url)"};
setTimeout(() => {
  http.createServer(handler).listen(Number(process.env.PORT), '127.0.0.1', () => log('listening on', process.env.PORT, 'at', Date.now()));
}, ${options.delayMs ?? 0});
`;
}
