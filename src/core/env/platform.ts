import type { Platform } from '../../../runtimes/types.js';
import { PolyError } from '../errors.js';

/**
 * The platform to compose environments for; poly offers toolchains for linux
 * and macOS on x64 and arm64. (Same rule as runtimes/types.ts currentPlatform()
 * on main, which this can call once both are merged.)
 */
export function hostPlatform(): Platform {
  const os = process.platform === 'linux' || process.platform === 'darwin' ? process.platform : undefined;
  const arch = process.arch === 'x64' || process.arch === 'arm64' ? process.arch : undefined;
  if (!os || !arch) {
    throw new PolyError('PLATFORM_UNSUPPORTED', `no toolchains for ${process.platform}-${process.arch}`, {
      hint: 'poly installs toolchains on linux and macOS, x64 and arm64.',
    });
  }
  return { os, arch };
}
