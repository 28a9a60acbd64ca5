/**
 * A Maven repository on 127.0.0.1 serving zonky's embedded-postgres binaries
 * in Maven's layout (what POLY_POSTGRES_MIRROR points at):
 *   {url}/maven2/io/zonky/test/postgres/embedded-postgres-binaries-<os>-<arch>/maven-metadata.xml
 *   {url}/maven2/.../<artifact>/<version>/<artifact>-<version>.jar  (+ .jar.sha1, as Maven Central has)
 * linux-amd64 is the REAL artifact, fetched once with `mvn dependency:get` into Maven's own local
 * repository (~/.m2, Maven's cache; Maven picks the repository it downloads from); the other
 * platforms are small stubs with distinct checksums, so poly.lock gets all four.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type HttpMirror, startHttpMirror } from './server.js';
import { bytes, type Served, text } from './site.js';

export const POSTGRES_MIRROR_VERSION = '16.4.0';
const GROUP = 'io/zonky/test/postgres';
const PLATFORMS = ['linux-amd64', 'linux-arm64v8', 'darwin-amd64', 'darwin-arm64v8'];

export interface PostgresMirror extends Pick<HttpMirror, 'requests' | 'faults' | 'close'> {
  /** The Maven repository base (POLY_POSTGRES_MIRROR). */
  base: string;
  env: { POLY_POSTGRES_MIRROR: string };
  /** Versions served, newest first. */
  versions: string[];
  /** The real linux-amd64 jar served. */
  jar: string;
}

function artifactId(platform: string): string {
  return `embedded-postgres-binaries-${platform}`;
}

/** Maven's local repository copy of the real jar, fetched with mvn when missing. */
export async function zonkyJar(version = POSTGRES_MIRROR_VERSION): Promise<string> {
  const id = artifactId('linux-amd64');
  const jar = join(homedir(), '.m2', 'repository', GROUP, id, version, `${id}-${version}.jar`);
  if (!existsSync(jar)) {
    await promisify(execFile)(
      'mvn',
      ['-q', 'dependency:get', `-Dartifact=io.zonky.test.postgres:${id}:${version}`],
      {
        maxBuffer: 16 * 1024 * 1024,
        timeout: 10 * 60_000,
      },
    );
  }
  return jar;
}

function sha1(body: Buffer): string {
  return createHash('sha1').update(body).digest('hex');
}

export async function startPostgresMirror(): Promise<PostgresMirror> {
  const jar = await zonkyJar();
  const real = readFileSync(jar);
  const version = POSTGRES_MIRROR_VERSION;
  const files = new Map<string, Served>();
  for (const platform of PLATFORMS) {
    const id = artifactId(platform);
    const dir = `/${GROUP}/${id}`;
    files.set(
      `${dir}/maven-metadata.xml`,
      text(
        `<?xml version="1.0" encoding="UTF-8"?>\n<metadata>\n  <groupId>io.zonky.test.postgres</groupId>\n  <artifactId>${id}</artifactId>\n  <versioning>\n    <latest>${version}</latest>\n    <release>${version}</release>\n    <versions>\n      <version>${version}</version>\n    </versions>\n  </versioning>\n</metadata>\n`,
        'text/xml',
      ),
    );
    const body = platform === 'linux-amd64' ? real : Buffer.from(`stub ${id} ${version}\n`);
    const path = `${dir}/${version}/${id}-${version}.jar`;
    files.set(
      path,
      platform === 'linux-amd64'
        ? { kind: 'file', path: jar, size: statSync(jar).size, contentType: 'application/java-archive' }
        : bytes(body, 'application/java-archive'),
    );
    files.set(`${path}.sha1`, text(sha1(body)));
  }
  const http = await startHttpMirror([{ prefix: '/maven2', handler: () => (path) => files.get(path) }]);
  const base = `${http.url}/maven2`;
  return {
    base,
    env: { POLY_POSTGRES_MIRROR: base },
    versions: [version],
    jar,
    requests: http.requests,
    faults: http.faults,
    close: () => http.close(),
  };
}
