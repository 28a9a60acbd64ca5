import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { RuntimeName } from '../../core/manifest/types.js';
import { LOCK_FILE } from '../../core/store/layout.js';

/**
 * The registry settings of the user's own clients, as build args for the
 * dependency step: what `npm config get registry`, `go env GOPROXY` and
 * pip's config say (never a host of poly's choosing), and the proxy
 * variables of this environment. `env` has the locked toolchain first on PATH.
 */
export async function registryBuildArgs(
  runtime: RuntimeName,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, string>> {
  const args: Record<string, string> = {};
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
    const value = env[name];
    if (value) args[name] = value;
  }
  const ask = async (file: string, argv: string[]): Promise<string | undefined> => {
    const r = await execa(file, argv, { env, reject: false, stdin: 'ignore', timeout: 20_000 });
    const out = r.exitCode === 0 ? String(r.stdout).trim() : '';
    return out && out !== 'undefined' ? out : undefined;
  };
  const set = (name: string, value: string | undefined) => {
    if (value) args[name] = value;
  };
  switch (runtime) {
    case 'node':
      set('NPM_CONFIG_REGISTRY', await ask('npm', ['config', 'get', 'registry']));
      break;
    case 'go':
      set('GOPROXY', await ask('go', ['env', 'GOPROXY']));
      set('GOSUMDB', await ask('go', ['env', 'GOSUMDB']));
      set('GOPRIVATE', await ask('go', ['env', 'GOPRIVATE']));
      break;
    case 'python':
      set('PIP_INDEX_URL', await ask('python3', ['-m', 'pip', 'config', 'get', 'global.index-url']));
      set(
        'PIP_EXTRA_INDEX_URL',
        await ask('python3', ['-m', 'pip', 'config', 'get', 'global.extra-index-url']),
      );
      break;
    default:
      break;
  }
  return args;
}

/** The build args a recipe's Dockerfile declares (ARG lines), in a fixed order. */
export function registryArgNames(args: Record<string, string>): string[] {
  return Object.keys(args)
    .filter((k) => !/^(https?_proxy|no_proxy)$/i.test(k))
    .sort();
}

/** sha256 of poly.lock as committed, for the image's label; undefined without one. */
export function lockDigest(root: string): string | undefined {
  try {
    return `sha256:${createHash('sha256')
      .update(readFileSync(join(root, LOCK_FILE)))
      .digest('hex')}`;
  } catch {
    return undefined;
  }
}

/** The project's git revision (with "-dirty" for uncommitted changes), or undefined outside git. */
export async function gitRevision(root: string): Promise<string | undefined> {
  const head = await execa('git', ['rev-parse', 'HEAD'], { cwd: root, reject: false, stdin: 'ignore' });
  if (head.exitCode !== 0) return undefined;
  const status = await execa('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: root,
    reject: false,
    stdin: 'ignore',
  });
  return `${String(head.stdout).trim()}${String(status.stdout).trim() ? '-dirty' : ''}`;
}

/**
 * The CA bundle this environment's clients are told to trust (a TLS-inspecting
 * proxy's or a company CA), by the variables the clients read; undefined when none is set.
 */
export function caBundle(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of [
    'SSL_CERT_FILE',
    'NODE_EXTRA_CA_CERTS',
    'PIP_CERT',
    'REQUESTS_CA_BUNDLE',
    'CURL_CA_BUNDLE',
  ]) {
    const file = env[name];
    if (file && existsSync(file)) return file;
  }
  return undefined;
}
