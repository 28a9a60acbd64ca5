import { EXIT_USAGE, PolyError } from '../errors.js';
import { didYouMean } from '../text/did-you-mean.js';

/**
 * The one error for a service name poly.toml lacks, wherever a name is given (`poly up api`,
 * `exec --service`, `run --service`, build, open, deploy): the name, the nearest one, and
 * which there are. `among`: the services that would do here (open: those with a port), if not all.
 */
export function unknownService(
  file: string,
  name: string,
  services: readonly string[],
  among?: { label: string; names: readonly string[] },
): PolyError {
  const guess = didYouMean(name, among?.names ?? services);
  const shown = among ?? { label: 'Services', names: services };
  return new PolyError(
    'UNKNOWN_SERVICE',
    `${file} has no service "${name}".${guess ? ` Did you mean "${guess}"?` : ''}`,
    { hint: `${shown.label}: ${shown.names.join(', ') || 'none'}.`, exitCode: EXIT_USAGE },
  );
}
