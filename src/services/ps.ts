import { loadNearestManifest } from '../core/manifest/load.js';
import type { SupervisorInfo } from '../core/supervisor/control.js';
import { askSupervisor, projectOf } from './control-client.js';
import { publicUrlsOf, withPublicUrls } from './proxy-routes.js';

export interface PsResult {
  project: string;
  running: boolean;
  supervisor?: Omit<SupervisorInfo, 'services'>;
  services: SupervisorInfo['services'];
}

/** `poly ps`: the services of the project's running supervisor (none when nothing runs). */
export async function listServices(options: { cwd: string }): Promise<PsResult> {
  const layout = projectOf(options.cwd);
  const answer = await askSupervisor(layout, { cmd: 'ps' });
  if (!answer?.info) return { project: layout.root, running: false, services: [] };
  const { services, ...supervisor } = answer.info;
  return {
    project: layout.root,
    running: true,
    supervisor,
    services: withPublicUrls(services, publicUrls(layout.root)),
  };
}

/** The services' https names, from poly.toml (none when it cannot be read now). */
function publicUrls(root: string): Record<string, string> {
  try {
    const manifest = loadNearestManifest(root);
    return manifest ? publicUrlsOf(manifest) : {};
  } catch {
    return {};
  }
}
