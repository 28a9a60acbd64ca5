import type { DockerClient } from '../../src/core/docker/client.js';
import { aptInstall, standInImage } from './stand-in-image.js';

/**
 * STAND-INS for the official `mariadb:11`, `redis:7` and `valkey/valkey:8`
 * images (no image registry is reachable here; see stand-in-image.ts), built
 * from Debian's real binaries. Their entrypoints keep the official ones'
 * contract, so a test that passes here means poly drives the official image
 * correctly. Versions are Debian's: MariaDB 10.11 and Redis 7.0 (bookworm has
 * no MariaDB 11); Valkey has no Debian package, so the Valkey stand-in is
 * Redis 7.0 under Valkey's names (Valkey is its fork: same protocol and
 * options), as the test mirror does for native Valkey.
 */
export const MARIADB_TEST_IMAGE = 'poly-test/mariadb:11';
export const REDIS_TEST_IMAGE = 'poly-test/redis:7';
export const VALKEY_TEST_IMAGE = 'poly-test/valkey:8';

/**
 * The official mariadb entrypoint's first-run contract: with no mysql/ in
 * /var/lib/mysql, refuse to start unless MARIADB_ROOT_PASSWORD,
 * MARIADB_ALLOW_EMPTY_ROOT_PASSWORD or MARIADB_RANDOM_ROOT_PASSWORD is set;
 * mariadb-install-db without test accounts; root@localhost and root@'%'
 * (MARIADB_ROOT_HOST) with that password; MARIADB_DATABASE; MARIADB_USER /
 * MARIADB_PASSWORD with all rights on it; /docker-entrypoint-initdb.d/*.sql
 * (and .sql.gz, .sh) in name order, once, into MARIADB_DATABASE, on a server
 * that listens on no port; then CMD (`mariadbd`, args starting with "-" go
 * to it). The image's config listens on all interfaces, as the official one.
 */
const MARIADB_ENTRYPOINT = `#!/bin/bash
set -eo pipefail
DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock
if [ "\${1:0:1}" = '-' ]; then set -- mariadbd "$@"; fi
sql_literal() { local s=\${1//\\\\/\\\\\\\\}; s=\${s//$'\\n'/\\\\n}; printf '%s' "\${s//\\'/\\\\\\'}"; }
sql_name() { printf '%s' "\${1//\\\`/\\\`\\\`}"; }
if [ "$1" = mariadbd ] && [ ! -d "$DATADIR/mysql" ]; then
  if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    echo >&2 'error: database is uninitialized and password option is not specified'
    echo >&2 '  You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
    exit 1
  fi
  if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    MARIADB_ROOT_PASSWORD=$(head -c 24 /dev/urandom | base64); echo "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
  fi
  : "\${MARIADB_ROOT_HOST:=%}"
  mkdir -p "$DATADIR" && chown mysql:mysql "$DATADIR"
  mariadb-install-db --user=mysql --datadir="$DATADIR" --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve > /dev/null
  mariadbd --user=mysql --datadir="$DATADIR" --skip-networking --socket="$SOCKET" &
  pid=$!
  for _ in $(seq 300); do mariadb-admin --socket="$SOCKET" -uroot ping > /dev/null 2>&1 && break; sleep 0.1; done
  root_pw=$(sql_literal "$MARIADB_ROOT_PASSWORD")
  {
    echo "DELETE FROM mysql.global_priv WHERE user = '' OR (user = 'root' AND host NOT IN ('localhost'));"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$root_pw';"
    if [ "$MARIADB_ROOT_HOST" != localhost ]; then
      echo "CREATE USER 'root'@'$(sql_literal "$MARIADB_ROOT_HOST")' IDENTIFIED BY '$root_pw';"
      echo "GRANT ALL ON *.* TO 'root'@'$(sql_literal "$MARIADB_ROOT_HOST")' WITH GRANT OPTION;"
    fi
    if [ -n "$MARIADB_DATABASE" ]; then echo "CREATE DATABASE IF NOT EXISTS \\\`$(sql_name "$MARIADB_DATABASE")\\\`;"; fi
    if [ -n "$MARIADB_USER" ]; then
      echo "CREATE USER '$(sql_literal "$MARIADB_USER")'@'%' IDENTIFIED BY '$(sql_literal "$MARIADB_PASSWORD")';"
      if [ -n "$MARIADB_DATABASE" ]; then echo "GRANT ALL ON \\\`$(sql_name "$MARIADB_DATABASE")\\\`.* TO '$(sql_literal "$MARIADB_USER")'@'%';"; fi
    fi
    echo 'FLUSH PRIVILEGES;'
  } | mariadb --socket="$SOCKET" -uroot
  client=(mariadb --socket="$SOCKET" -uroot "-p$MARIADB_ROOT_PASSWORD" \${MARIADB_DATABASE:+"$MARIADB_DATABASE"})
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sql) echo "running $f"; "\${client[@]}" < "$f" ;;
      *.sql.gz) echo "running $f"; gunzip -c "$f" | "\${client[@]}" ;;
      *.sh) echo "running $f"; . "$f" ;;
    esac
  done
  mariadb-admin --socket="$SOCKET" -uroot "-p$MARIADB_ROOT_PASSWORD" shutdown
  wait "$pid"
fi
if [ "$1" = mariadbd ]; then shift; exec mariadbd --user=mysql "$@"; fi
exec "$@"
`;

const MARIADB_DOCKERFILE = `${aptInstall(['mariadb-server', 'mariadb-client', 'mariadb-backup'])}RUN rm -rf /var/lib/mysql && mkdir -p /var/lib/mysql /run/mysqld /docker-entrypoint-initdb.d && chown mysql:mysql /var/lib/mysql /run/mysqld \\
 && sed -i -e 's/^bind-address/#&/' /etc/mysql/mariadb.conf.d/50-server.cnf \\
 && printf '[mariadbd]\\nhost-cache-size=0\\nskip-name-resolve\\n' > /etc/mysql/mariadb.conf.d/05-skipcache.cnf
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/mysql
EXPOSE 3306
ENTRYPOINT ["/bin/bash", "/usr/local/bin/docker-entrypoint.sh"]
CMD ["mariadbd"]
`;

export function mariadbTestImage(client: DockerClient): Promise<string> {
  return standInImage(client, {
    tag: MARIADB_TEST_IMAGE,
    dockerfile: MARIADB_DOCKERFILE,
    files: { 'entrypoint.sh': MARIADB_ENTRYPOINT },
  });
}

/**
 * The official redis (and valkey) entrypoint's contract: args starting with
 * "-" or a .conf file go to the server; the server runs in /data as its own
 * user. The official binaries are built with protected mode off (they are
 * reached from other containers without a password), which Debian's is not,
 * so the stand-in passes `--protected-mode no` first; later args still win.
 */
function redisEntrypoint(server: string): string {
  return `#!/bin/sh
set -e
case "$1" in -*|*.conf) set -- ${server} "$@" ;; esac
if [ "$1" = ${server} ]; then
  shift
  exec setpriv --reuid=redis --regid=redis --init-groups ${server} --protected-mode no "$@"
fi
exec "$@"
`;
}

function redisDockerfile(server: string, aliases = ''): string {
  return `${aptInstall(['redis-server', 'redis-tools'])}${aliases}RUN mkdir -p /data && chown redis:redis /data
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
WORKDIR /data
VOLUME /data
EXPOSE 6379
ENTRYPOINT ["/bin/sh", "/usr/local/bin/docker-entrypoint.sh"]
CMD ["${server}"]
`;
}

export function redisTestImage(client: DockerClient): Promise<string> {
  return standInImage(client, {
    tag: REDIS_TEST_IMAGE,
    dockerfile: redisDockerfile('redis-server'),
    files: { 'entrypoint.sh': redisEntrypoint('redis-server') },
  });
}

/** Redis 7.0 under Valkey's names: valkey-server, valkey-cli (Debian packages no Valkey). */
export function valkeyTestImage(client: DockerClient): Promise<string> {
  const aliases =
    'RUN ln -s redis-server /usr/bin/valkey-server && ln -s redis-cli /usr/bin/valkey-cli && ln -s redis-check-aof /usr/bin/valkey-check-aof\n';
  return standInImage(client, {
    tag: VALKEY_TEST_IMAGE,
    dockerfile: redisDockerfile('valkey-server', aliases),
    files: { 'entrypoint.sh': redisEntrypoint('valkey-server') },
  });
}
