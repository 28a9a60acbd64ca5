import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PolyError } from '../errors.js';

/** The docker CLI's config folder: DOCKER_CONFIG, else ~/.docker. */
function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

/** The context the docker CLI would use: --context, DOCKER_CONTEXT, then config.json's currentContext. */
function selectedContext(env: NodeJS.ProcessEnv, flag: string | undefined): string | undefined {
  if (flag) return flag;
  if (env.DOCKER_HOST) return undefined;
  if (env.DOCKER_CONTEXT) return env.DOCKER_CONTEXT;
  try {
    const config = JSON.parse(readFileSync(join(dockerConfigDir(env), 'config.json'), 'utf8'));
    return typeof config.currentContext === 'string' ? config.currentContext : undefined;
  } catch {
    return undefined;
  }
}

function contextNames(metaDir: string): string[] {
  try {
    return readdirSync(metaDir).flatMap((d) => {
      try {
        return [String(JSON.parse(readFileSync(join(metaDir, d, 'meta.json'), 'utf8')).Name)];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/**
 * The environment that points the Engine API client where a docker context
 * does (`docker context create NAME --docker host=ssh://…`): the context's
 * DOCKER_HOST, and its TLS files when it has them. The CLI stores a context
 * under the SHA-256 of its name. "default" (or no context) leaves `env` as it is.
 */
export function dockerContextEnv(env: NodeJS.ProcessEnv, flag?: string): NodeJS.ProcessEnv {
  const name = selectedContext(env, flag);
  if (!name || name === 'default') return env;
  const base = join(dockerConfigDir(env), 'contexts');
  const id = createHash('sha256').update(name).digest('hex');
  let host: unknown;
  try {
    const meta = JSON.parse(readFileSync(join(base, 'meta', id, 'meta.json'), 'utf8'));
    host = meta?.Endpoints?.docker?.Host;
  } catch {
    const known = ['default', ...contextNames(join(base, 'meta'))];
    throw new PolyError('DOCKER_CONTEXT_UNKNOWN', `there is no docker context "${name}"`, {
      hint: `Known contexts: ${known.join(', ')}. Create one with \`docker context create ${name} --docker host=ssh://user@host\`.`,
      exitCode: 2,
    });
  }
  if (typeof host !== 'string' || host === '')
    throw new PolyError('DOCKER_CONTEXT_UNKNOWN', `docker context "${name}" has no Docker endpoint`, {
      hint: `Recreate it: docker context create ${name} --docker host=<address>.`,
      exitCode: 2,
    });
  const tlsDir = join(base, 'tls', id, 'docker');
  const tls = existsSync(join(tlsDir, 'ca.pem'))
    ? { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tlsDir }
    : { DOCKER_TLS_VERIFY: '' };
  return { ...env, DOCKER_HOST: host, ...tls };
}
