import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The repository root (this file runs as dist/test/helpers/templates-e2e.js). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const POLY_BIN = join(REPO_ROOT, 'bin', 'run.cjs');

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

/**
 * The POLY_HOME a template test installs its toolchains and databases into:
 * the one scripts/test.mjs makes for the whole run (POLY_TEST_SHARED_HOME), so
 * Rust, the JDK, Python, Node, Go and PostgreSQL are unpacked from the mirror
 * once per run instead of once per test file; else the test's own `fallback`.
 * A cache, not a fixture: each test installs what is missing itself (`poly new`
 * and `poly up` do), under poly's per-version install lock, so two tests at once
 * unpack a version once and no test needs another to have run. Only the store
 * is shared; POLY_CONFIG_DIR and each project's own state stay the test's.
 */
export function templatesPolyHome(fallback: string): string {
  return process.env.POLY_TEST_SHARED_HOME || fallback;
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

export { freePort } from './http.js';

/** A command line from poly.toml or template.toml ("cargo test") as an argument array. */
export function splitCommand(command: string): [string, ...string[]] {
  const parts = command.split(/\s+/).filter(Boolean);
  assert.ok(parts.length > 0, 'empty command');
  return parts as [string, ...string[]];
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

function tail(text: string, lines = 40): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
