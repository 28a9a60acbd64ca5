import { serviceEnvName } from '../docker/service-urls.js';

/** How a client logs in to a database service. */
export interface DatabaseCredentials {
  user: string;
  password: string;
  database: string;
}

/**
 * What a peer sees for a database service: `<NAME>_URL` as the connection
 * string the ecosystem expects, and its parts, for the host and port the peer
 * reaches it on (127.0.0.1 natively; its name or the host alias from a container). Pure.
 */
export function databasePeerEnv(
  service: string,
  scheme: string,
  credentials: DatabaseCredentials,
  host: string,
  port: number,
): Record<string, string> {
  const p = serviceEnvName(service);
  const auth = `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`;
  return {
    [`${p}_URL`]: `${scheme}://${auth}${host}:${port}/${encodeURIComponent(credentials.database)}`,
    [`${p}_HOST`]: host,
    [`${p}_PORT`]: String(port),
    [`${p}_ADDR`]: `${host}:${port}`,
    [`${p}_USER`]: credentials.user,
    [`${p}_PASSWORD`]: credentials.password,
    [`${p}_DATABASE`]: credentials.database,
  };
}

/** What a peer sees for a Redis-compatible service: `redis://[:password@]host:port` and its parts. Pure. */
export function redisPeerEnv(
  service: string,
  password: string | undefined,
  host: string,
  port: number,
): Record<string, string> {
  const p = serviceEnvName(service);
  const auth = password ? `:${encodeURIComponent(password)}@` : '';
  return {
    [`${p}_URL`]: `redis://${auth}${host}:${port}`,
    [`${p}_HOST`]: host,
    [`${p}_PORT`]: String(port),
    [`${p}_ADDR`]: `${host}:${port}`,
    ...(password ? { [`${p}_PASSWORD`]: password } : {}),
  };
}
