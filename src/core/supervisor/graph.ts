import { EXIT_USAGE, PolyError } from '../errors.js';
import { findCycle } from '../manifest/find-cycle.js';
import type { ServiceSpec } from '../manifest/types.js';
import { unknownService } from '../manifest/unknown-service.js';

type Graph = Record<string, Pick<ServiceSpec, 'dependsOn'>>;

/**
 * The services to start for `poly up [names...]`: the named ones and
 * everything they depend on, transitively (all services when none are named),
 * in manifest order. Unknown names and cycles are errors.
 */
export function selectServices(services: Graph, names: readonly string[]): string[] {
  assertNoCycle(services);
  const all = Object.keys(services);
  if (names.length === 0) return all;
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const dep of services[name]?.dependsOn ?? []) add(dep);
  };
  for (const name of names) {
    if (!services[name]) {
      throw unknownService('poly.toml', name, all);
    }
    add(name);
  }
  return all.filter((name) => wanted.has(name));
}

export function assertNoCycle(services: Graph): void {
  const cycle = findCycle(services);
  if (cycle)
    throw new PolyError('DEPENDENCY_CYCLE', `depends_on cycle: ${cycle.join(' -> ')}`, {
      hint: 'Remove one of these dependencies in poly.toml.',
      exitCode: EXIT_USAGE,
    });
}

/**
 * Start waves: every service comes after all its dependencies. Services of one
 * wave are independent of each other. Only used for display and for stopping;
 * starting is event driven (a service starts the moment its dependencies are healthy).
 */
export function startWaves(services: Graph, selected: readonly string[]): string[][] {
  const chosen = new Set(selected);
  const level = new Map<string, number>();
  const levelOf = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    const deps = (services[name]?.dependsOn ?? []).filter((d) => chosen.has(d));
    const value = deps.length === 0 ? 0 : Math.max(...deps.map(levelOf)) + 1;
    level.set(name, value);
    return value;
  };
  const waves: string[][] = [];
  for (const name of selected) {
    const l = levelOf(name);
    const wave = waves[l] ?? [];
    wave.push(name);
    waves[l] = wave;
  }
  return waves.filter((w) => w !== undefined);
}

/** Stop order: dependants before what they depend on (the start waves, reversed). */
export function stopWaves(services: Graph, selected: readonly string[]): string[][] {
  return startWaves(services, selected).reverse();
}
