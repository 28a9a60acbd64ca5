import { requireManifest } from '../core/manifest/load.js';
import { projectLayout } from '../core/store/layout.js';
import type { SupervisorInfo } from '../core/supervisor/control.js';
import { askSupervisor } from './control-client.js';
import { listLeftovers } from './leftovers.js';
import { publicUrlsOf, withPublicUrls } from './proxy-routes.js';

export interface PsResult {
  project: string;
  running: boolean;
  supervisor?: Omit<SupervisorInfo, 'services'>;
  services: SupervisorInfo['services'];
  /** No supervisor answers, but a killed one left these running (`poly down` stops them). */
  leftovers?: { pids: number[]; containers: string[] };
}

/** `poly ps`: the services of the project's running supervisor (none when nothing runs). */
export async function listServices(options: { cwd: string }): Promise<PsResult> {
  const manifest = requireManifest(options.cwd);
  const layout = projectLayout(manifest.root);
  const answer = await askSupervisor(layout, { cmd: 'ps' });
  if (!answer?.info) {
    const leftovers = await listLeftovers(manifest, layout);
    return { project: layout.root, running: false, services: [], ...(leftovers ? { leftovers } : {}) };
  }
  const { services, ...supervisor } = answer.info;
  const { withDatabaseUrls } = await import('./db.js');
  return {
    project: layout.root,
    running: true,
    supervisor,
    services: withPublicUrls(withDatabaseUrls(layout.root, services), publicUrlsOf(manifest)),
  };
}
