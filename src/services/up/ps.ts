import { existsSync } from 'node:fs';
import type { PolyContext } from '../../core/context.js';
import { requireManifest } from '../../core/manifest/load.js';
import { projectLayout } from '../../core/store/layout.js';
import type { SupervisorInfo } from '../../core/supervisor/control.js';
import { askSupervisor } from './control-client.js';

export interface PsResult {
  project: string;
  running: boolean;
  supervisor?: Omit<SupervisorInfo, 'services'>;
  services: SupervisorInfo['services'];
  /** No supervisor answers, but a killed one left these running (`poly down` stops them). */
  leftovers?: { pids: number[]; containers: string[] };
}

/**
 * `poly ps`: the services of the project's running supervisor (none when nothing runs).
 * What only a running or killed supervisor needs (the proxy's names, database URLs, the
 * leftovers scan) loads when it is needed: `poly ps` with nothing running is a cold command.
 */
export async function listServices(options: { cwd: string; ctx: PolyContext }): Promise<PsResult> {
  const manifest = requireManifest(options.cwd);
  const layout = projectLayout(manifest.root);
  const answer = await askSupervisor(layout, { cmd: 'ps' });
  if (!answer?.info) {
    // Only a supervisor that died without cleaning up leaves its file behind.
    const leftovers = existsSync(layout.supervisorFile)
      ? await (await import('./leftovers.js')).listLeftovers(manifest, layout, options.ctx.env)
      : undefined;
    return { project: layout.root, running: false, services: [], ...(leftovers ? { leftovers } : {}) };
  }
  const { services, ...supervisor } = answer.info;
  const { withDatabaseUrls } = await import('../db/db.js');
  const { publicUrlsOf, withPublicUrls } = await import('../proxy/routes.js');
  return {
    project: layout.root,
    running: true,
    supervisor,
    services: withPublicUrls(withDatabaseUrls(layout.root, services), publicUrlsOf(manifest, options.ctx)),
  };
}
