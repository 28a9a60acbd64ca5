import type { ServiceStatus } from '../../core/supervisor/status.js';
import { askSupervisor, nothingRunning, projectOf } from './control-client.js';

/** `poly restart <service>`: stops and starts one service under the running supervisor. */
export async function restartService(options: { cwd: string; service: string }): Promise<ServiceStatus> {
  const layout = projectOf(options.cwd);
  const answer = await askSupervisor(layout, { cmd: 'restart', service: options.service }, 120_000);
  if (!answer) throw nothingRunning(layout);
  const status = answer.info?.services.find((s) => s.name === options.service);
  if (!status) throw nothingRunning(layout);
  return status;
}
