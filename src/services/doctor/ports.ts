import { join } from 'node:path';
import type { Finding } from '../../core/env/doctor.js';
import { MANIFEST_FILE, projectLayout } from '../../core/store/layout.js';
import { isProcessRunning } from '../../core/supervisor/process-alive.js';

/**
 * The fixed host ports the project declares (`port = 4100` on a service that
 * is not an image or build service, whose port is inside its container): one
 * error per port something else holds, naming the process, since `poly up`
 * would fail on it. A port this project's running supervisor holds for that
 * service is its own, not a conflict.
 */
export async function portFindings(root: string): Promise<Finding[]> {
  const [{ readManifestFile }, ports, { readSupervisorFile }] = await Promise.all([
    import('../../core/manifest/load.js'),
    import('../../core/supervisor/ports.js'),
    import('../../core/supervisor/host.js'),
  ]);
  let services: { name: string; port: number }[];
  try {
    const manifest = readManifestFile(join(root, MANIFEST_FILE));
    services = Object.values(manifest.services).flatMap((s) =>
      typeof s.port === 'number' && !s.image && !s.build ? [{ name: s.name, port: s.port }] : [],
    );
  } catch {
    return []; // A broken poly.toml is reported by the other checks.
  }
  const running = readSupervisorFile(projectLayout(root));
  const ours = new Set(
    running && isProcessRunning(running.pid) ? running.services.map((s) => `${s.name}:${s.port}`) : [],
  );
  const findings: Finding[] = [];
  for (const { name, port } of services) {
    if (ours.has(`${name}:${port}`) || (await ports.isPortFree(port))) continue;
    const holder = await ports.findPortHolder(port);
    findings.push({
      id: 'ports',
      status: 'error',
      message: holder
        ? `port ${port} of service ${name} is held by pid ${holder.pid} (${holder.command.slice(0, 80)})`
        : `port ${port} of service ${name} is taken by a process poly cannot see`,
      fix: holder
        ? `Stop that process (kill ${holder.pid}), or set port = "auto" in [services.${name}].`
        : `\`ss -ltnp 'sport = :${port}'\` shows it; or set port = "auto" in [services.${name}].`,
    });
  }
  return findings;
}
