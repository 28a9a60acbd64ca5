import { readsPortVariable } from './port-variable.js';
import type { AdoptionNote, ProposedService } from './types.js';

/**
 * Two proposed services on one port (a Go server and a Spring Boot app both
 * on 8080, each in its own container in production) cannot both be in one
 * poly.toml, and poly.toml cannot run them side by side either. The first one
 * keeps the port; a later one whose command reads $PORT gets port = "auto";
 * any other loses its port (and the health check that needs it), and the
 * report says which code to change. `taken`: the ports the poly.toml being
 * merged into already uses, by service name.
 */
export function resolvePortClashes(
  services: readonly ProposedService[],
  taken: ReadonlyMap<number, string>,
): { services: ProposedService[]; notes: AdoptionNote[] } {
  const owners = new Map(taken);
  const notes: AdoptionNote[] = [];
  const out = services.map((s) => {
    if (typeof s.port !== 'number') return s;
    const owner = owners.get(s.port);
    if (owner === undefined) {
      owners.set(s.port, s.name);
      return s;
    }
    const { port, health, ...rest } = s;
    if (readsPortVariable(s.run ?? '')) {
      notes.push({
        file: s.source,
        message: `${s.name}: port ${port} is ${owner}'s too; its command reads $PORT, so it gets port = "auto" (a free port poly keeps)`,
      });
      return { ...rest, port: 'auto' as const, ...(keepsHealth(health, port) ? { health } : {}) };
    }
    notes.push({
      file: s.source,
      message: `${s.name}: listens on ${port}, as ${owner} does, and the two cannot run on one machine at once; its port was left out: make it read $PORT (or pick another port) in its code or config, then add port = ... to [services.${s.name}]`,
    });
    return rest;
  });
  return { services: out, notes };
}

/** An HTTP path or a command still works on the new port; a tcp check of the old port does not. */
function keepsHealth(health: ProposedService['health'], port: number): boolean {
  if (health === undefined) return false;
  return typeof health === 'string' || health.tcp !== port;
}
