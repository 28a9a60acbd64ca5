import type { FetchText, Platform, PlatformArtifacts, RemoteVersion } from '../runtimes/types.js';
import type { DatabaseName } from '../src/core/manifest/types.js';

/** The databases poly installs as packages, by the name `use = "<name>@<version>"` gives them. */
export type PackageName = DatabaseName;

/**
 * A database package: the same kind of data a runtime definition gives the
 * install engine (versions, an archive and checksum per platform, bin dirs),
 * for a server rather than a toolchain. Its lifecycle (init, readiness, URLs)
 * is its recipe under src/core/databases/.
 */
export interface PackageDefinition {
  name: PackageName;
  /** Variable that replaces the base URL (`poly config set mirror.<name>` is the setting). */
  mirrorEnv: string;
  /** For messages and the `source` column of poly.lock. */
  sourceName: string;
  /**
   * The base URL when no mirror is set, from the configuration of the
   * source's own client (never a host written into poly). Throws a PolyError saying how to set one.
   */
  defaultBase(env: NodeJS.ProcessEnv): Promise<string>;
  /** Versions offered for this platform, newest first (`env` may name a version index). */
  listVersions(
    base: string,
    platform: Platform,
    fetch: FetchText,
    env: NodeJS.ProcessEnv,
  ): Promise<RemoteVersion[]>;
  /** The archive and checksum for every platform the source offers this version on (URLs under `base`). */
  artifacts(base: string, version: string, fetch: FetchText): Promise<PlatformArtifacts>;
  archive: { strip: number; layout?: 'jar-txz' };
  /** Folders under the install dir that hold the executables. */
  binDirs: string[];
}
