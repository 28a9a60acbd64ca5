import { render } from 'ink';
import { publicUrlsOf, withPublicUrls } from '../services/proxy/routes.js';
import type { RunningUp } from '../services/up/up.js';
import type { DashboardSource } from './Dashboard.js';
import { Dashboard } from './Dashboard.js';

/**
 * `poly up` in a terminal: the dashboard until q / Ctrl-C / a signal / `poly
 * down` from another terminal, then every service stops (the dashboard shows
 * it) and the terminal is given back. Loaded lazily: ink and react only load here.
 */
export async function runDashboard(run: RunningUp): Promise<void> {
  let quit: () => void = () => {};
  const quitting = new Promise<void>((resolve) => {
    quit = resolve;
  });
  const title = `${run.manifest.project.name} (${run.manifest.root})`;
  const logHeight = Math.max(5, (process.stdout.rows ?? 40) - run.supervisor.names().length * 2 - 8);
  const source = withPublicUrlSource(run.supervisor, publicUrlsOf(run.manifest, run.ctx));
  const view = (stopping: boolean) => (
    <Dashboard source={source} title={title} onQuit={quit} logHeight={logHeight} stopping={stopping} />
  );
  const app = render(view(false), { exitOnCtrlC: false });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.once(signal, quit);
  await Promise.race([quitting, run.downRequested]);
  app.rerender(view(true));
  await run.stop();
  for (const signal of signals) process.off(signal, quit);
  app.unmount();
  await app.waitUntilExit();
}

/** The supervisor, with each service's https name in its status (the URL column shows it). */
function withPublicUrlSource(supervisor: DashboardSource, urls: Record<string, string>): DashboardSource {
  if (Object.keys(urls).length === 0) return supervisor;
  return {
    status: () => withPublicUrls(supervisor.status(), urls),
    recentLines: (name) => supervisor.recentLines(name),
    on: (listener) => supervisor.on(listener),
    restart: (name) => supervisor.restart(name),
  };
}
