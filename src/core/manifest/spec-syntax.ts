import { getRuntime } from '../../../runtimes/index.js';
import type { RuntimeName } from './types.js';

/**
 * The syntax of a version spec as written in poly.toml. Only the form is
 * checked here; whether such a version exists is decided at install time.
 */
const EXACT_OR_PREFIX = /^v?\d+(?:\.\d+){0,3}(?:[-.]?[a-z][0-9a-z.]*|\+\d+)?$/i;
/** One comparator of a node-semver range: "^20.10", ">=3.11", "1.x", "*", "~1.2.3-rc.1". */
const COMPARATOR =
  /^(?:\^|~>?|[<>]=?|=)?v?(?:\d+|[x*])(?:\.(?:\d+|[x*])){0,2}(?:-[0-9a-z.-]+)?(?:\+[0-9a-z.-]+)?$/i;

/**
 * The range grammar of node-semver (comparator sets joined by "||", hyphen
 * ranges "1.2 - 1.4"), checked without loading semver: the manifest is read
 * on hot paths (exec, the shell hook) and semver costs more than all the rest.
 */
function isRange(spec: string): boolean {
  return spec.split('||').every((set) => {
    const words = set
      .trim()
      .replace(/([<>=~^]+)\s+/g, '$1')
      .split(/\s+/);
    if (words.length === 3 && words[1] === '-')
      return COMPARATOR.test(words[0] ?? '') && COMPARATOR.test(words[2] ?? '');
    return words.length > 0 && words.every((w) => w !== '' && COMPARATOR.test(w));
  });
}

function aliases(runtime: RuntimeName): string[] {
  return ['latest', ...getRuntime(runtime).pin.aliases, 'system'];
}

export function isAliasSpec(runtime: RuntimeName, spec: string): boolean {
  return spec === 'latest' || spec === 'system' || getRuntime(runtime).pin.isAlias(spec);
}

export function isValidSpec(runtime: RuntimeName, spec: string): boolean {
  if (isAliasSpec(runtime, spec)) return true;
  if (EXACT_OR_PREFIX.test(spec)) return true;
  return isRange(spec);
}

/** "an exact version "22.11.0", a prefix "22", ... or an alias: latest, lts, ..." for error messages. */
export function acceptedSpecForms(runtime: RuntimeName): string {
  const e = getRuntime(runtime).pin.examples;
  const java = runtime === 'java' ? `, optionally after a distribution ("temurin-21")` : '';
  return `an exact version "${e.exact}", a prefix "${e.prefix}", a range "${e.range}"${java}, or an alias: ${aliases(runtime).join(', ')}`;
}
