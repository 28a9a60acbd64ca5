import { parseManifest } from '../manifest/load.js';

const PROBE_VALUE = '{ path = ".env.poly-init-probe", required = false }';

/**
 * Whether this build's manifest validator reads `env_file = <tomlValue>` (the
 * key is being added beside `poly init`). Asked of the validator itself, so
 * init writes env_file exactly when, and in the form, poly.toml may hold it;
 * otherwise it stays a comment and the rest of the file still validates.
 */
export function manifestReadsEnvFile(file: string, tomlValue = PROBE_VALUE): boolean {
  const probe = `[services.probe]\nrun = "true"\nenv_file = ${tomlValue}\n`;
  try {
    parseManifest(probe, file);
    return true;
  } catch {
    return false;
  }
}
