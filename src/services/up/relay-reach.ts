import { type PeerEndpoint, serviceEnvName } from '../../core/env/service-env/peers.js';
import { parseTemplate, referencedNames } from '../../core/env/service-env/template.js';
import type { Manifest, ServiceSpec } from '../../core/manifest/types.js';

/**
 * The native services the container services reach, so poly relays only
 * those: each container service's `depends_on`, and the services whose
 * variables (`${CATALOG_ADDR}`, `${CATALOG_HOST}` …) its `env`, `[env]` or
 * `run` name. A container service that names no other service at all reaches
 * every native one, as before: poly cannot tell which of the `<NAME>_URL`
 * variables it is given its program reads. Pure.
 */
export function nativesReachedFromContainers(
  manifest: Pick<Manifest, 'env'>,
  specs: readonly ServiceSpec[],
  endpoints: readonly PeerEndpoint[],
): Set<string> {
  const natives = endpoints.filter((e) => e.mode === 'native').map((e) => e.name);
  const reached = new Set<string>();
  for (const spec of specs) {
    if (spec.mode !== 'container') continue;
    const names = new Set(
      referencedIn([...Object.values(manifest.env), ...Object.values(spec.env), spec.run]),
    );
    const named = natives.filter(
      (native) =>
        spec.dependsOn.includes(native) || [...names].some((n) => n.startsWith(`${serviceEnvName(native)}_`)),
    );
    const saysNothing =
      spec.dependsOn.length === 0 &&
      !endpoints.some(
        (e) => e.name !== spec.name && [...names].some((n) => n.startsWith(`${serviceEnvName(e.name)}_`)),
      );
    for (const native of saysNothing ? natives : named) reached.add(native);
  }
  return reached;
}

function referencedIn(values: readonly (string | undefined)[]): string[] {
  return values.flatMap((value) => {
    if (!value) return [];
    try {
      return referencedNames(parseTemplate(value));
    } catch {
      return []; // Bad syntax is reported where the value is interpolated.
    }
  });
}
