import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { parse } from 'smol-toml';
import {
  freePort,
  haveTool,
  makeProject,
  polyExec,
  runChecked,
  runPoly,
  startService,
  waitForJson,
  withPath,
} from './templates-e2e.js';

export interface TemplateScenario {
  template: string;
  /** Service name: distinct per template, so the shared cargo target dir never mixes two crates. */
  name: string;
  /** Tools that must be on PATH, e.g. [['cargo', '--version']]. */
  tools: string[][];
  /** Limit for the template's own test command (cold caches download and compile everything). */
  testTimeoutMs: number;
  /** Limit for the service to answer after starting (it may compile first). */
  startTimeoutMs: number;
  /** Extra `poly new` arguments. */
  newArgs?: string[];
}

interface NewResult {
  dir: string;
  port: number;
  run: string;
  test: string;
  health: string;
  endpoint?: string;
  path: string;
  runtime: string;
  pinned?: string;
}

/**
 * The end-to-end promise of a template: `poly new` in a fresh project, the
 * service's own tests pass through `poly exec` (the project's environment), and
 * the service answers /health and its JSON endpoint on a free port.
 * `poly exec --no-install`: the official toolchain hosts are unreachable here,
 * so a pinned runtime that is not installed falls back to the machine's PATH.
 * TODO(lead): start the service with `poly up -d` / `poly down`.
 */
export async function runTemplateScenario(t: TestContext, scenario: TemplateScenario): Promise<void> {
  for (const [tool, ...args] of scenario.tools) {
    if (!(await haveTool(tool as string, args))) {
      t.skip(`${tool} is not on PATH`);
      return;
    }
  }
  const project = makeProject();
  t.after(() => project.cleanup());
  const started = Date.now();

  const created = await runPoly(
    ['new', scenario.template, scenario.name, '--json', ...(scenario.newArgs ?? [])],
    project.root,
    project.env,
  );
  assert.equal(created.exitCode, 0, `poly new failed:\n${created.all}`);
  const result = JSON.parse(created.stdout) as NewResult;
  t.diagnostic(`poly new (with install): ${((Date.now() - started) / 1000).toFixed(1)}s`);

  // The manifest holds the service as poly new reported it.
  const manifest = parse(readFileSync(join(project.root, 'poly.toml'), 'utf8')) as {
    runtimes: Record<string, string>;
    services: Record<string, Record<string, unknown>>;
  };
  assert.deepEqual(
    { ...manifest.services[scenario.name] },
    {
      path: result.path,
      runtime: result.runtime,
      run: result.run,
      port: result.port,
      health: result.health,
    },
  );
  assert.equal(manifest.runtimes[result.runtime], result.pinned);
  assert.ok(existsSync(join(result.dir, '.gitignore')), '_gitignore became .gitignore');
  assert.ok(!existsSync(join(result.dir, '_gitignore')));
  assert.ok(!existsSync(join(result.dir, 'template.toml')));

  // Python services run from the project's venv, where poly new installed them.
  const venvBin = join(project.root, '.venv', 'bin');
  const env = existsSync(venvBin) ? withPath(project.env, venvBin) : project.env;

  const testStarted = Date.now();
  await runChecked(polyExec(result.test), result.dir, env, scenario.testTimeoutMs);
  t.diagnostic(`${result.test}: ${((Date.now() - testStarted) / 1000).toFixed(1)}s`);

  const port = await freePort();
  const service = startService(result.run, result.dir, { ...env, PORT: String(port), HOST: '127.0.0.1' });
  try {
    const upStarted = Date.now();
    const health = await waitForJson(
      `http://127.0.0.1:${port}${result.health}`,
      service,
      scenario.startTimeoutMs,
    );
    t.diagnostic(`${result.run} answered after ${((Date.now() - upStarted) / 1000).toFixed(1)}s`);
    assert.deepEqual(health, { status: 'ok' });
    const hello = await waitForJson(`http://127.0.0.1:${port}${result.endpoint}`, service, 10_000);
    assert.deepEqual(hello, { service: scenario.name, message: `Hello from ${scenario.name}!` });
  } finally {
    await service.stop();
  }
  t.diagnostic(`total: ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
