import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { DockerClient } from '../../src/core/docker/client.js';
import { imageExists } from '../../src/core/docker/images.js';
import { DEBIAN_TEST_IMAGE, debianTestImage } from './docker-images.js';
import { zonkyJar } from './mirror/postgres.js';

/**
 * A stand-in for the official `postgres:16` image, built here because no image
 * registry is reachable. It honours the part of that image's contract poly
 * relies on: POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, initdb on an
 * empty /var/lib/postgresql/data, /docker-entrypoint-initdb.d/*.sql run once
 * in name order, then postgres on 0.0.0.0:5432 with password logins from the
 * network, and CMD ["postgres", ...args]. The binaries are the real
 * PostgreSQL 16 the test mirror serves (zonky's embedded build). Differences:
 * the zonky build has no psql, so init files run through `postgres --single`
 * (one statement per line), and it runs as a fixed user rather than gosu.
 */
export const POSTGRES_TEST_IMAGE = 'poly-test/postgres:16';

const ENTRYPOINT = `#!/bin/sh
set -eu
PGDATA=/var/lib/postgresql/data
PATH=/opt/postgres/bin:$PATH
: "\${POSTGRES_USER:=postgres}" "\${POSTGRES_DB:=$POSTGRES_USER}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" -A scram-sha-256 --no-locale -E UTF8
  rm -f "$pwfile"
  echo 'host all all all scram-sha-256' >> "$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \\"$POSTGRES_DB\\"" | postgres --single -D "$PGDATA" postgres > /dev/null
  fi
  for f in /docker-entrypoint-initdb.d/*.sql; do
    [ -e "$f" ] || continue
    echo "running $f"
    postgres --single -D "$PGDATA" "$POSTGRES_DB" < "$f" > /dev/null
  done
fi
[ "\${1:-}" = postgres ] && shift
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
`;

const DOCKERFILE = `FROM ${DEBIAN_TEST_IMAGE}
RUN useradd --system --create-home postgres && mkdir -p /var/lib/postgresql/data /docker-entrypoint-initdb.d && chown postgres:postgres /var/lib/postgresql/data && chmod 700 /var/lib/postgresql/data
ADD postgres.txz /opt/postgres/
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER postgres
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/bin/sh", "/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
`;

/** Builds the stand-in once per engine (cached by tag). */
export async function postgresTestImage(client: DockerClient): Promise<string> {
  if (await imageExists(client, POSTGRES_TEST_IMAGE)) return POSTGRES_TEST_IMAGE;
  await debianTestImage(client);
  const context = mkdtempSync(join(tmpdir(), 'poly-pg-image-'));
  try {
    const txz = await execa('unzip', ['-p', await zonkyJar(), 'postgres-linux-x86_64.txz'], {
      encoding: 'buffer',
      maxBuffer: 200 * 1024 * 1024,
    });
    writeFileSync(join(context, 'postgres.txz'), txz.stdout);
    writeFileSync(join(context, 'entrypoint.sh'), ENTRYPOINT);
    writeFileSync(join(context, 'Dockerfile'), DOCKERFILE);
    await execa('docker', ['build', '-q', '-t', POSTGRES_TEST_IMAGE, context], {
      env: { DOCKER_BUILDKIT: '0' },
    });
    return POSTGRES_TEST_IMAGE;
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
