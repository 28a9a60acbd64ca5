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

const ALIASES: Record<RuntimeName, readonly string[]> = {
  node: ['latest', 'lts', 'lts/<codename>', 'system'],
  python: ['latest', 'system'],
  go: ['latest', 'system'],
  java: ['latest', 'lts', 'system'],
  rust: ['latest', 'stable', 'beta', 'nightly', 'nightly-YYYY-MM-DD', 'system'],
};

const EXAMPLES: Record<RuntimeName, { exact: string; prefix: string; range: string }> = {
  node: { exact: '22.11.0', prefix: '22', range: '^22.1' },
  python: { exact: '3.12.7', prefix: '3.12', range: '>=3.11 <3.13' },
  go: { exact: '1.23.2', prefix: '1.23', range: '^1.22' },
  java: { exact: '21.0.2', prefix: '21', range: '>=17 <22' },
  rust: { exact: '1.82.0', prefix: '1.82', range: '^1.80' },
};

export function isAliasSpec(runtime: RuntimeName, spec: string): boolean {
  if (spec === 'latest' || spec === 'system') return true;
  if (runtime === 'node') return spec === 'lts' || /^lts\/[a-z]+$/.test(spec);
  if (runtime === 'java') return spec === 'lts';
  if (runtime === 'rust') return /^(stable|beta|nightly)(-\d{4}-\d{2}-\d{2})?$/.test(spec);
  return false;
}

export function isValidSpec(runtime: RuntimeName, spec: string): boolean {
  if (isAliasSpec(runtime, spec)) return true;
  if (EXACT_OR_PREFIX.test(spec)) return true;
  return isRange(spec);
}

/** "an exact version "22.11.0", a prefix "22", ... or an alias: latest, lts, ..." for error messages. */
export function acceptedSpecForms(runtime: RuntimeName): string {
  const e = EXAMPLES[runtime];
  const java = runtime === 'java' ? `, optionally after a distribution ("temurin-21")` : '';
  return `an exact version "${e.exact}", a prefix "${e.prefix}", a range "${e.range}"${java}, or an alias: ${ALIASES[runtime].join(', ')}`;
}
