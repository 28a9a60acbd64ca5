import { currentPlatform, type Platform } from '../../../runtimes/types.js';
import type { Host } from '../context.js';
import { PolyError } from '../errors.js';

/**
 * The platform to compose environments for; poly offers toolchains for linux
 * and macOS on x64 and arm64 (the rule is runtimes/types.ts currentPlatform()).
 */
export function hostPlatform(host: Host): Platform {
  const platform = currentPlatform(host);
  if (!platform) {
    throw new PolyError('PLATFORM_UNSUPPORTED', `no toolchains for ${host.os}-${host.arch}`, {
      hint: 'poly installs toolchains on linux and macOS, x64 and arm64.',
    });
  }
  return platform;
}
