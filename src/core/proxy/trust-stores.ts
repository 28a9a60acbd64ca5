import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a CA can be trusted, found on this machine. Pure discovery: what to
 * run is returned as argument arrays, and trust.ts runs them (asking first
 * for anything that needs sudo).
 */
export interface TrustCommand {
  /** What the step does, printed before it runs. */
  title: string;
  argv: string[];
  /** Needs root: run through sudo when poly is not root. */
  root: boolean;
}

export interface TrustStore {
  kind: 'system' | 'nss';
  /** "Debian/Ubuntu system store", "NSS database ~/.pki/nssdb (Chromium)". */
  name: string;
  install: TrustCommand[];
  uninstall: TrustCommand[];
  /** A tool the store needs that is not installed (how to get it). */
  missing?: string;
}

/** The CA's name in trust stores: unique per CA, so uninstalling removes only this one. */
export function caNickname(certPem: string): string {
  return `poly local CA ${caFingerprint(certPem).slice(0, 12)}`;
}

export function caFingerprint(certPem: string): string {
  const der = Buffer.from(certPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return createHash('sha256').update(der).digest('hex');
}

/** The tool's path on env.PATH, or undefined. */
export function onPath(tool: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(':'))
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  return undefined;
}

/** The system store of `os` (the one poly runs on), or undefined where poly knows none. */
export function systemStore(
  certFile: string,
  nickname: string,
  env: NodeJS.ProcessEnv,
  os: string,
): TrustStore | undefined {
  const file = `${nickname.replace(/\s+/g, '-').toLowerCase()}.crt`;
  if (os === 'darwin') {
    const keychain = '/Library/Keychains/System.keychain';
    return {
      kind: 'system',
      name: 'macOS System keychain',
      install: [
        {
          title: `add the CA to ${keychain}`,
          argv: ['security', 'add-trusted-cert', '-d', '-r', 'trustRoot', '-k', keychain, certFile],
          root: true,
        },
      ],
      uninstall: [
        {
          title: `remove the CA from ${keychain}`,
          argv: ['security', 'remove-trusted-cert', '-d', certFile],
          root: true,
        },
      ],
    };
  }
  if (os !== 'linux') return undefined;
  if (existsSync('/usr/sbin/update-ca-certificates') || onPath('update-ca-certificates', env)) {
    const target = join('/usr/local/share/ca-certificates', file);
    return {
      kind: 'system',
      name: 'system store (update-ca-certificates)',
      install: [
        { title: `copy the CA to ${target}`, argv: ['install', '-m', '0644', certFile, target], root: true },
        { title: 'rebuild /etc/ssl/certs', argv: ['update-ca-certificates'], root: true },
      ],
      uninstall: [
        { title: `remove ${target}`, argv: ['rm', '-f', target], root: true },
        { title: 'rebuild /etc/ssl/certs', argv: ['update-ca-certificates', '--fresh'], root: true },
      ],
    };
  }
  if (onPath('update-ca-trust', env)) {
    const target = join('/etc/pki/ca-trust/source/anchors', file);
    return {
      kind: 'system',
      name: 'system store (update-ca-trust)',
      install: [
        { title: `copy the CA to ${target}`, argv: ['install', '-m', '0644', certFile, target], root: true },
        { title: 'rebuild the trust bundle', argv: ['update-ca-trust', 'extract'], root: true },
      ],
      uninstall: [
        { title: `remove ${target}`, argv: ['rm', '-f', target], root: true },
        { title: 'rebuild the trust bundle', argv: ['update-ca-trust', 'extract'], root: true },
      ],
    };
  }
  return undefined;
}

/** NSS databases of Chromium (~/.pki/nssdb) and of every Firefox profile found under the home folder. */
export function nssStores(
  certFile: string,
  nickname: string,
  env: NodeJS.ProcessEnv,
  os: string,
): TrustStore[] {
  const home = env.HOME || homedir();
  const dbs: Array<{ dir: string; who: string }> = [];
  for (const dir of [join(home, '.pki', 'nssdb'), join(home, 'snap', 'chromium', 'current', '.pki', 'nssdb')])
    if (existsSync(join(dir, 'cert9.db'))) dbs.push({ dir, who: 'Chromium' });
  for (const profiles of [
    join(home, '.mozilla', 'firefox'),
    join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox'),
    join(home, 'Library', 'Application Support', 'Firefox', 'Profiles'),
  ]) {
    let entries: string[] = [];
    try {
      entries = readdirSync(profiles);
    } catch {
      continue;
    }
    for (const entry of entries)
      if (existsSync(join(profiles, entry, 'cert9.db')))
        dbs.push({ dir: join(profiles, entry), who: 'Firefox' });
  }
  const certutil = onPath('certutil', env);
  return dbs.map(({ dir, who }) => ({
    kind: 'nss',
    name: `NSS database ${dir} (${who})`,
    install: [
      {
        title: `add the CA to ${dir}`,
        argv: ['certutil', '-d', `sql:${dir}`, '-A', '-t', 'C,,', '-n', nickname, '-i', certFile],
        root: false,
      },
    ],
    uninstall: [
      {
        title: `remove the CA from ${dir}`,
        argv: ['certutil', '-d', `sql:${dir}`, '-D', '-n', nickname],
        root: false,
      },
    ],
    ...(certutil
      ? {}
      : {
          missing:
            os === 'darwin'
              ? 'certutil is not installed (brew install nss)'
              : 'certutil is not installed (apt-get install libnss3-tools, or dnf install nss-tools)',
        }),
  }));
}
