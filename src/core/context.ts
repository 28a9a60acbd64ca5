import { currentPlatform, type Platform } from '../../runtimes/types.js';
import { isOffline } from './poly-env.js';
import { type HttpOptions, httpOptionsFromEnv } from './runtimes/http.js';
import { type StoreLayout, storeLayout } from './store/layout.js';

/** The machine as Node names it (process.platform, process.arch). */
export interface Host {
  os: string;
  arch: string;
}

/**
 * What a poly process knows about where it runs, made once at its entry (bin/run.cjs's fast
 * paths, the oclif base command, the supervisor, the proxy; see src/cli/this-process.ts) and
 * passed down, so nothing below reads process.env or process.platform on its own and a
 * caller's environment (another POLY_HOME, mirrors, POLY_OFFLINE) applies all the way down.
 */
export interface PolyContext {
  /** The environment poly was started with: its POLY_* settings, PATH, HOME. */
  readonly env: NodeJS.ProcessEnv;
  /** The store and settings folders that env names. */
  readonly layout: StoreLayout;
  readonly host: Host;
  /** The host as toolchain archives name it; undefined where poly installs none. */
  readonly platform: Platform | undefined;
  /** POLY_OFFLINE: cached indexes and installed versions only. */
  readonly offline: boolean;
  /** Timeouts and retries for index and archive downloads (POLY_HTTP_*). */
  readonly http: HttpOptions;
}

/** A context for `env` on `host`: pure, so a test or a parent process can make one for a child's env. */
export function makeContext(env: NodeJS.ProcessEnv, host: Host): PolyContext {
  return {
    env,
    layout: storeLayout(env),
    host,
    platform: currentPlatform(host),
    offline: isOffline(env),
    http: httpOptionsFromEnv(env),
  };
}
