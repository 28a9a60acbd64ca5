import type { PolyContext } from '../../core/context.js';
import { projectLayout } from '../../core/store/layout.js';
import { findRunningSupervisor } from '../../core/supervisor/host.js';
import { serviceDidNotStart, startDetached, startServices } from '../up/up.js';

/** Services a task run brought up for `depends = ["service:db"]`. */
export interface TaskServices {
  /** Host port of each running service of the project, for the tasks' `<NAME>_URL`. */
  ports: Record<string, number>;
  /** Stops what this run started; leaves alone what ran before it. */
  stop(): Promise<void>;
}

/**
 * Brings `names` (and what they depend on) up and healthy through the same
 * supervisor `poly up` uses, in this process. When the project's services
 * already run under `poly up -d`, it asks that supervisor instead (as
 * `poly up -d db` would) and leaves them running afterwards: they were the user's.
 */
export async function startTaskServices(
  root: string,
  names: string[],
  ctx: PolyContext,
): Promise<TaskServices> {
  const running = await findRunningSupervisor(projectLayout(root));
  if (running?.detached) {
    const result = await startDetached({ cwd: root, services: names, ctx });
    const ports: Record<string, number> = {};
    for (const s of result.services) if (s.port !== undefined) ports[s.name] = s.port;
    return { ports, stop: async () => {} };
  }
  const up = await startServices({ cwd: root, services: names, ctx });
  const settled = await up.supervisor.settled();
  if (!settled.ok) {
    await up.stop();
    throw serviceDidNotStart(settled.status);
  }
  const ports: Record<string, number> = {};
  for (const [name, planned] of Object.entries(up.supervisor.planned()))
    if (planned.port !== undefined) ports[name] = planned.port;
  return { ports, stop: () => up.stop() };
}
