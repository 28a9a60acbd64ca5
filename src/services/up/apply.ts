import type { PolyContext } from '../../core/context.js';
import { PolyError } from '../../core/errors.js';
import { readManifestFile } from '../../core/manifest/load.js';
import type { Manifest } from '../../core/manifest/types.js';
import type { ApplyRequest } from '../../core/supervisor/control.js';
import { selectServices } from '../../core/supervisor/graph.js';
import type { PlannedService, ServiceChange } from '../../core/supervisor/reconcile.js';
import type { Supervisor } from '../../core/supervisor/supervisor.js';
import type { SupervisorContainerRunner } from './containers.js';
import type { NativePortRelay } from './native-port-relay.js';
import { planUp } from './plan.js';

export interface ApplierOptions {
  /** The poly.toml the supervisor was started from. */
  manifestFile: string;
  supervisor: Supervisor;
  relay: NativePortRelay;
  /** The container runner of the first plan, when it had container services. */
  containers?: SupervisorContainerRunner;
  /** [project] name when the supervisor started: its Docker objects are labelled with it. */
  projectName: string;
  ctx: PolyContext;
}

/**
 * The supervisor's side of `poly up -d` while it runs: reads poly.toml again,
 * plans exactly like a fresh start (the ports its own services hold are not
 * conflicts), and has the supervisor reconcile. A bad poly.toml, an unknown
 * name or a taken port throws before anything changes. Applies run one at a time.
 */
export function manifestApplier(o: ApplierOptions): (request: ApplyRequest) => Promise<ServiceChange[]> {
  let containers = o.containers;
  let queue: Promise<unknown> = Promise.resolve();

  const applyOnce = async (request: ApplyRequest): Promise<ServiceChange[]> => {
    const manifest = readManifestFile(o.manifestFile);
    const current = Object.values(o.supervisor.planned());
    assertSameProjectName(manifest, o.projectName, current);
    // `poly up -d api` considers api and its dependencies; the other running services stay as they run.
    const scope = request.services.length ? selectServices(manifest.services, request.services) : undefined;
    const untouched = scope ? current.filter((p) => !scope.includes(p.spec.name)) : [];
    const plan = await planUp(manifest, request.services, {
      ctx: o.ctx,
      ...(request.allContainers ? { allContainers: true } : {}),
      running: {
        ports: current.flatMap((p) => (p.port !== undefined ? [p.port] : [])),
        untouched,
        relays: o.relay.mapping(),
      },
    });
    // New container services run with this plan's runner: it knows the current [project] and pins.
    containers = plan.containers ?? containers;
    const before = o.relay.ports();
    await o.relay.open(plan.forwardPorts, containers);
    let changes: ServiceChange[];
    try {
      changes = await o.supervisor.apply(plan, scope);
    } catch (err) {
      await o.relay.retain(before);
      throw err;
    }
    await o.relay.retain(plan.forwardPorts);
    return removeLeftContainers(manifest, current, plan.services, changes, o.ctx.env);
  };

  return (request) => {
    const run = queue.then(() => applyOnce(request));
    queue = run.catch(() => undefined);
    return run;
  };
}

/**
 * Containers, the network and its labels carry the project name: a running
 * project cannot be renamed under its containers. Native services do not care.
 */
function assertSameProjectName(manifest: Manifest, started: string, current: PlannedService[]): void {
  if (manifest.project.name === started) return;
  const docker =
    current.some((p) => p.spec.mode === 'container') ||
    manifest.project.mode === 'container' ||
    Object.values(manifest.services).some((s) => s.image || s.build || s.mode === 'container');
  if (docker)
    throw new PolyError(
      'APPLY_PROJECT_RENAMED',
      `[project] name changed from "${started}" to "${manifest.project.name}" while its containers run`,
      {
        hint: 'Restart the project to rename it: `poly down && poly up -d` (with the old name back first, so down finds its containers).',
      },
    );
}

/**
 * A container service that left Docker (removed from poly.toml, or now
 * native) leaves a stopped container behind, which the next `poly down`
 * would no longer look for: removed here, with the network once nothing of
 * the project runs in Docker. An engine error is reported on the change, not thrown:
 * the services themselves were applied.
 */
async function removeLeftContainers(
  manifest: Manifest,
  before: PlannedService[],
  after: readonly { name: string; mode: string }[],
  changes: ServiceChange[],
  env: NodeJS.ProcessEnv,
): Promise<ServiceChange[]> {
  const inDocker = new Set(after.filter((s) => s.mode === 'container').map((s) => s.name));
  const left = before
    .filter((p) => p.spec.mode === 'container' && !inDocker.has(p.spec.name))
    .map((p) => p.spec.name);
  if (left.length === 0) return changes;
  try {
    const { connectDocker } = await import('../../core/docker/client.js');
    const { removeServiceContainers } = await import('../../core/docker/cleanup.js');
    await removeServiceContainers(
      await connectDocker(env),
      { name: manifest.project.name, root: manifest.root },
      left,
      { network: inDocker.size === 0 },
    );
    return changes;
  } catch (err) {
    const why = `its container is left for \`poly down\`: ${(err as Error).message}`;
    return changes.map((c) =>
      left.includes(c.name) ? { ...c, reason: c.reason ? `${c.reason}; ${why}` : why } : c,
    );
  }
}
