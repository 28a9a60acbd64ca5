import type { PolyContext } from '../../core/context.js';
import type { Manifest } from '../../core/manifest/types.js';

export interface InstallMissingOptions {
  /** Whose POLY_HOME, mirrors and offline setting apply. */
  ctx: PolyContext;
  onEvent?: (event: { type: 'notice'; message: string }) => void;
}

/**
 * The one door from the environment commands (exec, shell, shims) to the
 * install engine: installs the manifest's pinned runtimes that are not
 * installed yet, with a one-line notice for each.
 */
export async function installMissing(manifest: Manifest, options: InstallMissingOptions): Promise<void> {
  const { ensureInstalled } = await import('./install.js');
  await ensureInstalled(manifest, {
    ctx: options.ctx,
    onEvent: (event) => {
      if (event.type === 'resolved' && !event.installed)
        options.onEvent?.({ type: 'notice', message: `installing ${event.runtime} ${event.version}` });
    },
  });
}
