import type { SupervisorInfo } from '../core/supervisor/control.js';
import { askSupervisor, projectOf } from './control-client.js';

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
  const { withDatabaseUrls } = await import('./db.js');
  return {
    project: layout.root,
    running: true,
    supervisor,
    services: withDatabaseUrls(layout.root, services),
  };
}
