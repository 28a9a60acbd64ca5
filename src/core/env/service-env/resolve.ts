import { EXIT_USAGE, PolyError } from '../../errors.js';
import { didYouMean } from '../../text/did-you-mean.js';
import { parseTemplate, type TemplatePart, TemplateSyntaxError } from './template.js';
import type { EnvDefinition, EnvSource, ValueSite } from './types.js';

export interface ResolveOptions {
  /**
   * Read when a name has no definition at all: a container's interpolation
   * may read the host's variables (`${HOME}`), as docker compose's does.
   */
  fallback?: (name: string) => string | undefined;
  /**
   * What a reference to a variable nobody set does: throw (a service's
   * environment) or read as empty and call `onUnset` (the project scope of
   * `poly exec` and the shell hook, where a service's PORT does not exist).
   */
  onUnset?: (name: string, site: ValueSite | undefined) => void;
}

export interface Resolved {
  env: Record<string, string>;
  sources: Record<string, EnvSource>;
  /** Interpolates one more value (a service's `run`) against the resolved variables. */
  interpolate(value: string, site?: ValueSite): string;
}

/**
 * Resolves layered definitions (lowest precedence first) into one
 * environment. The last definition of a name wins. A user-written value is
 * interpolated against the final environment; inside its own definition a
 * name means the value beneath it, so `PATH = "${PATH}:bin"` extends. Throws
 * on an unknown variable without default, a reference cycle, bad syntax.
 */
export function resolveDefinitions(defs: readonly EnvDefinition[], options: ResolveOptions = {}): Resolved {
  const stacks = new Map<string, EnvDefinition[]>();
  for (const d of defs) {
    const stack = stacks.get(d.name);
    if (stack) stack.push(d);
    else stacks.set(d.name, [d]);
  }
  const memo = new Map<EnvDefinition, string>();
  const visiting: EnvDefinition[] = [];

  const definitionValue = (def: EnvDefinition, level: number): string => {
    const known = memo.get(def);
    if (known !== undefined) return known;
    if (!def.template) {
      memo.set(def, def.value);
      return def.value;
    }
    if (visiting.includes(def)) throw cycleError([...visiting.slice(visiting.indexOf(def)), def]);
    visiting.push(def);
    const lookup = (name: string): string | undefined => {
      const stack = stacks.get(name);
      const at = name === def.name ? level - 1 : (stack?.length ?? 0) - 1;
      const below = stack?.[at];
      if (below && stack) return definitionValue(below, at);
      return options.fallback?.(name);
    };
    const value = render(parts(def.value, def.site), lookup, def.site, options, () => [...stacks.keys()]);
    visiting.pop();
    memo.set(def, value);
    return value;
  };

  const env: Record<string, string> = {};
  const sources: Record<string, EnvSource> = {};
  for (const [name, stack] of stacks) {
    const top = stack[stack.length - 1] as EnvDefinition;
    env[name] = definitionValue(top, stack.length - 1);
    sources[name] = top.source;
  }
  return {
    env,
    sources,
    interpolate: (value, site) =>
      render(
        parts(value, site),
        (name) => env[name] ?? options.fallback?.(name),
        site,
        options,
        () => Object.keys(env),
      ),
  };
}

function parts(value: string, site: ValueSite | undefined): TemplatePart[] {
  try {
    return parseTemplate(value);
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    throw syntaxError(err, site);
  }
}

/** A parsed value with its references replaced. */
function render(
  template: readonly TemplatePart[],
  lookup: (name: string) => string | undefined,
  site: ValueSite | undefined,
  options: ResolveOptions,
  names: () => string[],
): string {
  let out = '';
  for (const part of template) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    const value = lookup(part.name);
    const fallback = part.fallback;
    if (fallback && (value === undefined || (fallback.when === 'unset-or-empty' && value === '')))
      out += render(fallback.template, lookup, site, options, names);
    else if (value !== undefined) out += value;
    else if (options.onUnset) options.onUnset(part.name, site);
    else throw unknownVariable(part.name, part.offset, site, names());
  }
  return out;
}

function at(site: ValueSite | undefined, offset: number): string {
  const position = site?.position(offset);
  return position ? `${position}: ` : '';
}

function unknownVariable(
  name: string,
  offset: number,
  site: ValueSite | undefined,
  known: string[],
): PolyError {
  const guess = didYouMean(name, known);
  return new PolyError(
    'ENV_UNKNOWN_VARIABLE',
    `${at(site, offset)}${site ? `${site.label}: ` : ''}\${${name}} is not set${guess ? `. Did you mean "${guess}"?` : ''}`,
    {
      hint: `Set ${name} in [env] or the service's env, give it a default (\${${name}:-value}), or write $$ for a literal $.`,
      exitCode: EXIT_USAGE,
    },
  );
}

function cycleError(chain: EnvDefinition[]): PolyError {
  const first = chain[0] as EnvDefinition;
  return new PolyError(
    'ENV_CYCLE',
    `${at(first.site, 0)}${first.site ? `${first.site.label}: ` : ''}variables refer to each other in a cycle: ${chain.map((d) => d.name).join(' -> ')}`,
    { hint: 'Give one of them a value that does not refer back.', exitCode: EXIT_USAGE },
  );
}

function syntaxError(err: TemplateSyntaxError, site: ValueSite | undefined): PolyError {
  return new PolyError(
    'ENV_SYNTAX',
    `${at(site, err.offset)}${site ? `${site.label}: ` : ''}${err.message}`,
    {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
      hint: 'Write ${NAME}, ${NAME:-default}, or $$ for a literal $.',
      exitCode: EXIT_USAGE,
    },
  );
}
