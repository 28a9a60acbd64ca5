import { parseManifest } from '../manifest/load.js';

/**
 * Whether this build's manifest validator reads `env_file` (it is being added
 * beside `poly init`). Asked of the validator itself, with a probe that needs
 * no file on disk, so init writes env_file exactly when poly.toml may hold it.
 */
export function manifestReadsEnvFile(file: string): boolean {
  const probe =
    '[services.probe]\nrun = "true"\nenv_file = { path = ".env.poly-init-probe", required = false }\n';
  try {
    parseManifest(probe, file);
    return true;
  } catch {
    return false;
  }
}
