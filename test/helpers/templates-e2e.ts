import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

/** The repository root (this file runs as dist/test/helpers/templates-e2e.js). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const POLY_BIN = join(REPO_ROOT, 'bin', 'run.js');

/**
 * Caches shared by every template test and kept between runs, so a warm run
 * compiles only the new service: one cargo target dir for both Rust templates
 * (crates compiled once), and the tools' own default caches for the rest
 * (~/.cargo/registry, ~/.cache/pip, ~/.npm, ~/go/pkg/mod, ~/.m2). POLY_TEST_CACHE moves it.
 */
export function testCacheDir(): string {
  const dir = process.env.POLY_TEST_CACHE || join(tmpdir(), 'poly-test-cache');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface TempProject {
  root: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** A fresh project folder with a poly.toml, and POLY_HOME / POLY_CONFIG_DIR in temp dirs. */
export function makeProject(manifest = '[project]\nname = "e2e"\n'): TempProject {
  const base = mkdtempSync(join(tmpdir(), 'poly-tpl-'));
  const root = join(base, 'project');
  mkdirSync(root);
  writeFileSync(join(root, 'poly.toml'), manifest);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    POLY_HOME: join(base, 'home'),
    POLY_CONFIG_DIR: join(base, 'config'),
    CARGO_TARGET_DIR: join(testCacheDir(), 'cargo-target'),
    // Keep cargo's build jobs at the machine's size, and quiet the tools' colours in logs.
    NO_COLOR: '1',
    CI: process.env.CI ?? '',
  };
  return { root, env, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** Runs the real CLI; resolves with its result whatever the exit code. */
export function runPoly(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  return execa(process.execPath, [POLY_BIN, ...args], {
    cwd,
    env,
    reject: false,
    stdin: 'ignore',
    all: true,
  });
}

/**
 * Whether `tool` answers `--version`. A missing toolchain skips the test with a
 * reason, except under CI=true, where it fails: CI must prove every template.
 */
export async function haveTool(tool: string, args = ['--version']): Promise<boolean> {
  const result = await execa(tool, args, { reject: false, stdin: 'ignore' });
  if (!result.failed) return true;
  if (process.env.CI === 'true') assert.fail(`${tool} is not on PATH; CI must run every template test`);
  return false;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A command line from poly.toml or template.toml ("cargo test") as an argument array. */
export function splitCommand(command: string): [string, ...string[]] {
  const parts = command.split(/\s+/).filter(Boolean);
  assert.ok(parts.length > 0, 'empty command');
  return parts as [string, ...string[]];
}

/** A command line run through the real CLI's `poly exec --no-install --`. */
export function polyExec(command: string): [string, ...string[]] {
  return [process.execPath, POLY_BIN, 'exec', '--no-install', '--', ...splitCommand(command)];
}

/** Runs a command to completion; on failure the assertion message carries the output's tail. */
export async function runChecked(
  command: string | [string, ...string[]],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
) {
  const [file, ...args] = typeof command === 'string' ? splitCommand(command) : command;
  const result = await execa(file, args, {
    cwd,
    env,
    reject: false,
    stdin: 'ignore',
    all: true,
    timeout: timeoutMs,
  });
  const shown = typeof command === 'string' ? command : command.join(' ');
  assert.equal(result.exitCode, 0, `\`${shown}\` failed in ${cwd}:\n${tail(String(result.all))}`);
  return result;
}

export interface RunningService {
  process: ResultPromise;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the service's run command in its own process group, so stopping it
 * also stops what it started (cargo run -> the binary, npm start -> node, mvnw -> the JVM).
 */
export function startService(command: string, cwd: string, env: NodeJS.ProcessEnv): RunningService {
  const [file, ...args] = splitCommand(command);
  const child = execa(file, args, { cwd, env, reject: false, stdin: 'ignore', all: true, detached: true });
  let log = '';
  child.all?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  return {
    process: child,
    output: () => log,
    async stop() {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          try {
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 10_000);
        await child;
        clearTimeout(timer);
      }
    },
  };
}

/** GETs `url` until it answers 200 with JSON, the service exits, or the time is up. */
export async function waitForJson(url: string, service: RunningService, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) {
      assert.fail(
        `the service exited (${service.process.exitCode}) before answering:\n${tail(service.output())}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return await response.json();
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`${url} did not answer within ${timeoutMs / 1000}s (${last}):\n${tail(service.output())}`);
}

/** PATH with extra folders first (a project's venv, for instance). */
export function withPath(env: NodeJS.ProcessEnv, ...dirs: string[]): NodeJS.ProcessEnv {
  return { ...env, PATH: [...dirs, env.PATH ?? ''].join(delimiter) };
}

function tail(text: string, lines = 40): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
