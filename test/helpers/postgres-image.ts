import { execa } from 'execa';
import type { DockerClient } from '../../src/core/docker/client.js';
import { zonkyJar } from './mirror/postgres.js';
import { aptInstall, standInImage } from './stand-in-image.js';

/**
 * A STAND-IN for the official `postgres:16` image, built here because no image
 * registry is reachable (see stand-in-image.ts). It honours the part of that
 * image's contract poly relies on: POSTGRES_USER / POSTGRES_PASSWORD /
 * POSTGRES_DB / PGDATA, initdb on an empty data folder,
 * /docker-entrypoint-initdb.d/*.sql run once in name order, then postgres on
 * 0.0.0.0:5432 with password logins from the network, CMD ["postgres", ...args],
 * and psql and tar inside (what `poly db shell` and `poly db snapshot` exec).
 * The server is the real PostgreSQL 16 the test mirror serves (zonky's
 * embedded build). Differences: that build has no psql, so init files run
 * through `postgres --single` (one statement per line) and psql is Debian's
 * (15, which talks to 16); it runs as a fixed user rather than through gosu.
 */
export const POSTGRES_TEST_IMAGE = 'poly-test/postgres:16';

const ENTRYPOINT = `#!/bin/sh
set -eu
: "\${PGDATA:=/var/lib/postgresql/data}"
PATH=/opt/postgres/bin:$PATH
: "\${POSTGRES_USER:=postgres}" "\${POSTGRES_DB:=$POSTGRES_USER}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" && chmod 700 "$PGDATA"
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

const DOCKERFILE = `${aptInstall(['postgresql-client'])}RUN useradd --system --create-home postgres && mkdir -p /var/lib/postgresql/data /docker-entrypoint-initdb.d /var/run/postgresql && chown postgres:postgres /var/lib/postgresql/data /var/run/postgresql && chmod 700 /var/lib/postgresql/data
ADD postgres.txz /opt/postgres/
ENV PATH=/opt/postgres/bin:$PATH
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER postgres
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/bin/sh", "/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
`;

/** The real PostgreSQL 16 binaries, out of the jar the test mirror serves. */
async function postgresBinaries(): Promise<Buffer> {
  const txz = await execa('unzip', ['-p', await zonkyJar(), 'postgres-linux-x86_64.txz'], {
    encoding: 'buffer',
    maxBuffer: 200 * 1024 * 1024,
  });
  return Buffer.from(txz.stdout);
}

/** Builds the stand-in once per engine (cached by tag and recipe). */
export function postgresTestImage(client: DockerClient): Promise<string> {
  return standInImage(client, {
    tag: POSTGRES_TEST_IMAGE,
    dockerfile: DOCKERFILE,
    files: { 'postgres.txz': postgresBinaries, 'entrypoint.sh': ENTRYPOINT },
  });
}
