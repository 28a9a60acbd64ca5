import assert from 'node:assert/strict';
import { execa } from 'execa';
import { runPoly, type TempProject } from './templates-e2e.js';

/**
 * The six templates as the image tests scaffold them. The build tests and the
 * Swarm test use the same service names (poly new writes them into the
 * sources) and the same base image, so their build stages are the same inputs
 * and the engine's layer cache serves whichever runs second.
 */
export interface TemplateService {
  template: string;
  service: string;
  runtime: 'go' | 'node' | 'python' | 'rust' | 'java';
}

export const GO_NODE_PYTHON: readonly TemplateService[] = [
  { template: 'go-http', service: 'goapp', runtime: 'go' },
  { template: 'express', service: 'nodeapp', runtime: 'node' },
  { template: 'fastapi', service: 'pyapp', runtime: 'python' },
];

export const RUST_JAVA: readonly TemplateService[] = [
  { template: 'axum', service: 'rsaxum', runtime: 'rust' },
  { template: 'actix-web', service: 'rsactix', runtime: 'rust' },
  { template: 'spring-boot', service: 'javaapp', runtime: 'java' },
];

/**
 * The [runtimes] a project of these templates starts with: Java 17, since the test
 * mirror serves this machine's JDKs (17 and 25) and spring-boot's own pin is 21.
 */
export const TEMPLATE_RUNTIMES = '[runtimes]\njava = "17"\n';

/** `poly new <template> <service> [args…]` in the project, which must pass. */
export async function scaffold(project: TempProject, t: TemplateService, args: string[] = []) {
  const r = await runPoly(['new', t.template, t.service, ...args], project.root, project.env);
  assert.equal(r.exitCode, 0, String(r.all).slice(-4000));
}

export async function docker(args: string[]) {
  return execa('docker', args, { reject: false, stdin: 'ignore' });
}

/** Resolves once the container's HEALTHCHECK reports healthy; fails on unhealthy or after timeoutMs. */
export async function waitHealthy(container: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status = '';
  while (Date.now() < deadline) {
    status = String(
      (await docker(['inspect', '--format', '{{.State.Health.Status}}', container])).stdout,
    ).trim();
    if (status === 'healthy') return;
    if (status === 'unhealthy') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const logs = await docker(['logs', '--tail', '30', container]);
  assert.fail(`${container} is ${status || 'unknown'}, not healthy:\n${logs.stdout}\n${logs.stderr}`);
}

/** Bytes an image adds on top of another (its base). */
export async function addedBytes(image: string, base: string): Promise<number> {
  const size = async (ref: string) =>
    Number(String((await docker(['image', 'inspect', '--format', '{{.Size}}', ref])).stdout).trim());
  return (await size(image)) - (await size(base));
}
