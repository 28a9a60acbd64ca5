import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { execa } from 'execa';

const execFileAsync = promisify(execFile);

/** Repo root, from dist/test/helpers/. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const POLY_BIN = join(REPO_ROOT, 'bin', 'run.cjs');

export interface TempHome {
  dir: string;
  env: Record<string, string>;
  cleanup: () => void;
}

/** A temp folder with POLY_HOME and POLY_CONFIG_DIR inside it, and a work folder. */
export function tempHome(prefix = 'poly-test-'): TempHome {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    env: {
      POLY_HOME: join(dir, 'home'),
      POLY_CONFIG_DIR: join(dir, 'config'),
      NO_COLOR: '1',
      // The HTTPS proxy is machine-wide: only the proxy tests turn it on (with ports of their own).
      POLY_PROXY: 'off',
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface PolyRun {
  exitCode: number;
  /** Final newline stripped, as execa does. */
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (bin/run.cjs) without a TTY; never throws on a non-zero exit. */
export async function runPoly(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; input?: string },
): Promise<PolyRun> {
  const r = await execa(process.execPath, [POLY_BIN, ...args], {
    cwd: options.cwd,
    env: { CI: '', POLY_DEBUG: '', ...options.env },
    reject: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
  });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export interface PolyOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI with exactly `env` (no defaults added), output untrimmed;
 * never throws on a non-zero exit. For end-to-end tests that compare pids and tables.
 */
export async function polyIn(
  env: NodeJS.ProcessEnv,
  cwd: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<PolyOutcome> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [POLY_BIN, ...args], {
      env,
      cwd,
      timeout: timeoutMs,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
