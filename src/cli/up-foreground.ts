import { startServices, type UpOptions } from '../services/up/up.js';

/**
 * Foreground `poly up` for the oclif command and the fast path (fast/up.ts)
 * alike: starts the services here, then shows them until Ctrl-C, q or
 * `poly down`: the dashboard in a terminal, else prefixed lines.
 */
export async function upForeground(
  options: UpOptions,
  dashboard: boolean,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const run = await startServices(options);
  if (dashboard) {
    const { runDashboard } = await import('../ui/run-dashboard.js');
    await runDashboard(run);
  } else {
    const { runPlainUp } = await import('../ui/up-plain.js');
    await runPlainUp(run, env);
  }
}
