/**
 * The inputs of one service's environment, each with where it came from, and
 * what the renderers (render.ts) make of them.
 */

/** Where a variable came from. */
export type EnvSource = 'host' | 'toolchain' | 'poly' | 'peer' | 'env_file' | 'project' | 'service' | 'task';

/** Where a value was written, for messages naming file:line:column. */
export interface ValueSite {
  /** What the value is: "[env] DATABASE_URL", "services.api.env.PORT", "services.api.run". */
  label: string;
  /** "poly.toml:12:18" for the character at `offset` of the value, when known. */
  position(offset: number): string | undefined;
}

/** One variable as an input. */
export interface EnvDefinition {
  name: string;
  value: string;
  source: EnvSource;
  /** Written by the user (env_file, [env], a service's env): interpolated. Others are taken as they are. */
  template: boolean;
  site?: ValueSite;
}

/** Which side a service runs on, which decides how it reaches the others. */
export type Side = 'native' | 'container';

/** What the project's toolchains and venv add (host paths), as composeEnvironment() found them. */
export interface ToolchainEnv {
  /** Folders put first on PATH (venv bin first, then each toolchain's bin dirs). */
  pathPrepend: string[];
  /** Variables the toolchains and the venv set (JAVA_HOME, GOROOT, VIRTUAL_ENV …). */
  set: Record<string, string>;
  /** Variables removed natively (PYTHONHOME would break a venv). */
  unset: string[];
}

/** A service's environment as one side sees it. */
export interface RenderedEnv {
  env: Record<string, string>;
  /** Where each variable came from (the layer that won). */
  sources: Record<string, EnvSource>;
  /** `run`, interpolated against `env`; undefined when the service has none. */
  run?: string;
}
