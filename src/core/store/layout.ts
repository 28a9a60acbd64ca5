import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeCrypto } from '../node-crypto.js';

/**
 * Every on-disk path poly uses comes from here. POLY_HOME moves the whole
 * store, POLY_CONFIG_DIR moves user settings. Nothing else builds store paths.
 */
export interface StoreLayout {
  home: string;
  installs: string;
  downloads: string;
  cache: string;
  /** V8's compiled code of the bundled fast paths (src/cli/bundle-loader.ts), per Node version. */
  compileCache: string;
  shims: string;
  /** Temp dirs on the same filesystem as installs, so a rename is atomic. */
  tmp: string;
  locks: string;
  /** Which projects poly has seen (for prune). */
  projects: string;
  configDir: string;
  /** User settings (`poly config`), a JSON file written by conf. */
  settingsFile: string;
  /** The user's global poly.toml, used outside any project. */
  globalManifest: string;
  /** The environment cache of the global poly.toml (a project keeps its own in .poly/). */
  globalEnvCache: EnvCacheFiles;
}

export function storeLayout(env: NodeJS.ProcessEnv): StoreLayout {
  const home = resolve(
    env.POLY_HOME || join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'poly'),
  );
  const configDir = resolve(
    env.POLY_CONFIG_DIR || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'poly'),
  );
  return {
    home,
    installs: join(home, 'installs'),
    downloads: join(home, 'downloads'),
    cache: join(home, 'cache'),
    compileCache: join(home, 'cache', 'compile'),
    shims: join(home, 'shims'),
    tmp: join(home, 'tmp'),
    locks: join(home, 'locks'),
    projects: join(home, 'projects'),
    configDir,
    settingsFile: join(configDir, 'config.json'),
    globalManifest: join(configDir, 'poly.toml'),
    globalEnvCache: envCacheFiles(join(home, 'global-env')),
  };
}

export function installDir(layout: StoreLayout, runtime: string, version: string): string {
  return join(layout.installs, runtime, version);
}

/** Per project state, under `<project>/.poly/` (gitignored). */
export interface ProjectLayout {
  root: string;
  dir: string;
  logs: string;
  /** Folder of the supervisor's state files (the three below). */
  state: string;
  envCache: EnvCacheFiles;
  /**
   * Per service folder, that service's environment cache: `<this>/<folder
   * relative to the project>/`, marked by a SERVICE_ENV_MARKER file holding the
   * service's name (written with the project's cache), so the shell readers
   * find a service's cache by the folder they are in.
   */
  serviceEnv: string;
  /** Ports picked for `port = "auto"`, kept across runs. */
  portsFile: string;
  /** The running supervisor: pid, socket, services, ports, pids, states. */
  supervisorFile: string;
  /** Where a detached supervisor's own stdout/stderr go. */
  supervisorLog: string;
  /** The supervisor's control socket (`poly ps/restart/down` talk to it). */
  socket: string;
}

/**
 * The environment cache the shell hook and the shims read without starting
 * poly: the same environment as POSIX sh calls, fish calls and JSON. The
 * files' mtime is the newest input's, so `[[ input -nt env.sh ]]` means stale.
 */
export interface EnvCacheFiles {
  dir: string;
  sh: string;
  fish: string;
  json: string;
}

export function envCacheFiles(dir: string): EnvCacheFiles {
  return { dir, sh: join(dir, 'env.sh'), fish: join(dir, 'env.fish'), json: join(dir, 'env.json') };
}

export function projectLayout(projectRoot: string): ProjectLayout {
  const dir = join(projectRoot, '.poly');
  const state = join(dir, 'state');
  return {
    root: projectRoot,
    dir,
    logs: join(dir, 'logs'),
    state,
    envCache: envCacheFiles(dir),
    serviceEnv: join(dir, 'service-env'),
    portsFile: join(state, 'ports.json'),
    supervisorFile: join(state, 'supervisor.json'),
    supervisorLog: join(dir, 'logs', 'supervisor.log'),
    socket: controlSocketPath(dir),
  };
}

/** The file that marks a folder of `.poly/service-env/` as a service's (see ProjectLayout). */
export const SERVICE_ENV_MARKER = 'service';

/** Where the environment cache of the service in `serviceDir` lives; none for a folder outside the project or the project's own. */
export function serviceEnvCacheFiles(layout: ProjectLayout, serviceDir: string): EnvCacheFiles | undefined {
  const rel = relative(layout.root, serviceDir);
  if (rel === '' || rel === '..' || rel.startsWith('../') || isAbsolute(rel)) return undefined;
  return envCacheFiles(join(layout.serviceEnv, rel));
}

/** Log file of one service under `.poly/logs/`. */
export function serviceLogFile(layout: ProjectLayout, service: string): string {
  return join(layout.logs, `${service}.log`);
}

/**
 * A unix socket path must fit in sun_path (104 bytes on macOS, 108 on Linux).
 * Deep project folders get a short path in the temp dir, named by a hash of
 * the project folder so every terminal finds the same one.
 */
function controlSocketPath(polyDir: string): string {
  const inProject = join(polyDir, 'supervisor.sock');
  if (Buffer.byteLength(inProject) <= 100) return inProject;
  const hash = nodeCrypto().createHash('sha256').update(polyDir).digest('hex').slice(0, 16);
  return join(tmpdir(), `poly-${hash}.sock`);
}

export const MANIFEST_FILE = 'poly.toml';
export const LOCK_FILE = 'poly.lock';

/** The built-in templates shipped in the package: `<package root>/templates` (see templates/README.md). */
export function builtinTemplatesDir(): string {
  // This file runs as dist/src/core/store/layout.js, four levels below the package root.
  return fileURLToPath(new URL('../../../../templates', import.meta.url));
}

/** Where `poly new <git-url>` clones templates: one folder per URL. */
export function templateCacheDir(layout: StoreLayout): string {
  return join(layout.cache, 'templates');
}

/** The machine's HTTPS proxy and local CA, under `<store>/proxy/` (one per POLY_HOME). */
export interface ProxyLayout {
  dir: string;
  /** The CA certificate (PEM): what `poly trust` installs and `poly trust --path` prints. */
  caCert: string;
  /** The CA's private key (PEM, mode 0600): never leaves this folder. */
  caKey: string;
  /** Leaf certificates issued per name: `<name>.pem` holding key and certificate. */
  leaves: string;
  /** The proxy's control socket (supervisors publish routes to it). */
  socket: string;
  /** pid, ports and start time of the running proxy. */
  stateFile: string;
  /** The detached proxy's own stdout/stderr. */
  log: string;
}

export function proxyLayout(layout: StoreLayout): ProxyLayout {
  const dir = join(layout.home, 'proxy');
  const inStore = join(dir, 'proxy.sock');
  const socket =
    Buffer.byteLength(inStore) <= 100
      ? inStore
      : join(
          tmpdir(),
          `poly-proxy-${nodeCrypto().createHash('sha256').update(dir).digest('hex').slice(0, 16)}.sock`,
        );
  return {
    dir,
    caCert: join(dir, 'ca', 'poly-local-ca.pem'),
    caKey: join(dir, 'ca', 'poly-local-ca-key.pem'),
    leaves: join(dir, 'leaves'),
    socket,
    stateFile: join(dir, 'proxy.json'),
    log: join(dir, 'proxy.log'),
  };
}
