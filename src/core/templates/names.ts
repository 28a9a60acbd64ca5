import { EXIT_USAGE, PolyError } from '../errors.js';

/**
 * A service name is used as a folder, a crate, a Python package, a Java package
 * segment, a Go binary, an npm package and a container host name, so it must be
 * valid in all of them at once: lowercase ASCII words joined by single dashes or
 * underscores (the characters poly.toml allows), at most 63 characters.
 */
const NAME_PATTERN = /^[a-z][a-z0-9]*([-_][a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 63;

/** Keywords (strict and reserved) of Rust, Python, Java, Go and JavaScript, plus literals. */
const RESERVED_WORDS = new Set(
  [
    // Rust (2021 strict and reserved; gen and try from 2024)
    'as async await become box break const continue crate do dyn else enum extern false final fn for gen if impl in let loop macro match mod move mut override priv pub ref return self static struct super trait true try type typeof union unsafe unsized use virtual where while yield',
    // Python (keywords and soft keywords)
    'and assert case class def del elif except finally from global import is lambda match none nonlocal not or pass raise with',
    // Java (keywords, literals and contextual keywords used as identifiers)
    'abstract boolean byte catch char default double extends float goto implements instanceof int interface long native new null package permits private protected public record sealed short strictfp switch synchronized this throw throws transient var void volatile',
    // Go
    'chan defer fallthrough func go map range select',
    // JavaScript
    'arguments debugger delete eval export function let of undefined',
  ].flatMap((words) => words.split(' ')),
);

/** Names that are not keywords but break a template of this runtime when used as a name. */
const RUNTIME_RESERVED: Record<string, Set<string>> = {
  // Crates every Rust program can see: a package named like one of them shadows it.
  rust: new Set(['std', 'core', 'alloc', 'proc_macro', 'test']),
  // Standard library modules a package of the same name would shadow (uvicorn imports several).
  python: new Set(
    'abc array ast asyncio base64 binascii calendar cmd code codecs collections contextlib copy csv ctypes dataclasses datetime decimal email enum errno fractions functools gc glob gzip hashlib heapq hmac html http importlib inspect io ipaddress itertools json locale logging math mimetypes multiprocessing numbers operator os pathlib pickle platform profile queue random re secrets select selectors shutil signal site socket sqlite3 ssl stat statistics string struct subprocess sys tempfile test threading time token tokenize trace types typing unittest urllib uuid warnings wave weakref xml zipfile zlib'.split(
      ' ',
    ),
  ),
  node: new Set(['node_modules', 'favicon.ico']),
};

/** The forms of a kebab-case name in each language's conventions. */
export interface NameForms {
  /** As given: my-api or my_api (folders, npm packages, Maven artifactIds, Go binaries). */
  kebab: string;
  /** my_api (Rust crates, Python packages). */
  snake: string;
  /** MyApi (Java and C# class names). */
  pascal: string;
  /** myApi */
  camel: string;
  /** myapi (a Java package segment). */
  flat: string;
  /** MY_API (environment variables). */
  upper: string;
}

export function nameForms(name: string): NameForms {
  const words = name.split(/[-_]/);
  const pascal = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return {
    kebab: name,
    snake: words.join('_'),
    pascal,
    camel: pascal.charAt(0).toLowerCase() + pascal.slice(1),
    flat: words.join(''),
    upper: words.join('_').toUpperCase(),
  };
}

/** Why `name` cannot be a service name, or undefined when it can. */
export function serviceNameProblem(name: string, runtime?: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_NAME_LENGTH) return `it is longer than ${MAX_NAME_LENGTH} characters`;
  if (!NAME_PATTERN.test(name)) {
    if (!/^[a-z]/.test(name)) return 'it must start with a lowercase letter';
    if (/[-_]{2}/.test(name)) return 'it has two separators in a row';
    if (/[-_]$/.test(name)) return 'it ends with a separator';
    return 'it may only hold lowercase letters, digits and single dashes or underscores';
  }
  const forms = nameForms(name);
  for (const form of new Set([forms.kebab, forms.snake, forms.flat])) {
    if (RESERVED_WORDS.has(form))
      return `"${form}" is a reserved word in Rust, Python, Java, Go or JavaScript`;
    if (runtime && RUNTIME_RESERVED[runtime]?.has(form)) {
      return `"${form}" would shadow a standard ${runtime} module or crate`;
    }
  }
  return undefined;
}

export function assertServiceName(name: string, runtime?: string): void {
  const problem = serviceNameProblem(name, runtime);
  if (problem) {
    throw new PolyError('INVALID_SERVICE_NAME', `"${name}" cannot be a service name: ${problem}`, {
      hint: 'Use lowercase letters, digits and single dashes or underscores, starting with a letter (e.g. "orders-api" or "orders_api").',
      exitCode: EXIT_USAGE,
    });
  }
}
