import { isPolyError } from '../errors.js';
import { connectDocker, engineVersion } from './client.js';
import { describeEndpoint, dockerEndpoint } from './endpoint.js';

/** One line of `poly doctor`. */
export interface DoctorFinding {
  check: string;
  status: 'ok' | 'warn' | 'error';
  message: string;
  /** What to do about it (absent when ok). */
  fix?: string;
}

/** Docker 20.10 brought host-gateway; older engines still work through the gateway IP poly maps. */
const MIN_API = [1, 41];

function apiAtLeast(version: string, min: number[]): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > (min[0] ?? 0) || (major === min[0] && minor >= (min[1] ?? 0));
}

/**
 * `poly doctor`'s Docker line: is an engine answering where DOCKER_HOST (or
 * the default socket) says, and which one. Container mode only needs it when
 * a service uses it, so an absent engine is a warning, not an error.
 */
export async function checkDocker(env: NodeJS.ProcessEnv): Promise<DoctorFinding> {
  let where: string;
  try {
    where = describeEndpoint(dockerEndpoint(env));
  } catch (err) {
    return {
      check: 'docker',
      status: 'error',
      message: isPolyError(err) ? err.message : String(err),
      ...(isPolyError(err) && err.hint ? { fix: err.hint } : {}),
    };
  }
  try {
    const client = await connectDocker(env);
    const v = await engineVersion(client);
    const old = !apiAtLeast(v.apiVersion, MIN_API);
    return {
      check: 'docker',
      status: old ? 'warn' : 'ok',
      message: `Docker engine ${v.version} (API ${v.apiVersion}, ${v.os}/${v.arch}) answers at ${where}`,
      ...(old ? { fix: 'Docker 20.10 or newer is recommended for container mode.' } : {}),
    };
  } catch (err) {
    return {
      check: 'docker',
      status: 'warn',
      message: isPolyError(err) ? err.message : `Docker at ${where}: ${String(err)}`,
      fix: (isPolyError(err) && err.hint) || 'Start the Docker engine.',
    };
  }
}
