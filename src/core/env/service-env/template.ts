/**
 * docker compose's interpolation syntax, parsed: `${NAME}`, `${NAME:-default}`
 * (unset or empty), `${NAME-default}` (unset only) and `$$` for a literal `$`.
 * A bare `$NAME` is left as written, so `run = "serve --port $PORT"` still
 * reaches the shell as the user wrote it. Pure.
 */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | {
      kind: 'ref';
      name: string;
      /** Offset of the `$` in the value. */
      offset: number;
      /** `:-` uses the default when unset or empty, `-` only when unset. */
      fallback?: { when: 'unset' | 'unset-or-empty'; template: TemplatePart[] };
    };

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    /** Offset of the offending `$` in the value. */
    readonly offset: number,
  ) {
    super(message);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Parses a value; throws TemplateSyntaxError on `${` without `}`, an empty or invalid name, an unknown modifier. */
export function parseTemplate(value: string, base = 0): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < value.length) {
    const ch = value[i];
    if (ch !== '$') {
      text += ch;
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      text += '$';
      i += 2;
      continue;
    }
    if (next !== '{') {
      text += ch;
      i++;
      continue;
    }
    if (text) parts.push({ kind: 'text', text });
    text = '';
    const { part, end } = parseReference(value, i, base);
    parts.push(part);
    i = end;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

/** `${...}` starting at `start`; returns the part and the offset after its `}`. */
function parseReference(value: string, start: number, base: number): { part: TemplatePart; end: number } {
  const close = matchingBrace(value, start + 2);
  const at = base + start;
  if (close === -1) throw new TemplateSyntaxError(`"\${" without a closing "}"`, at);
  const body = value.slice(start + 2, close);
  const name = NAME.exec(body)?.[0];
  if (!name)
    throw new TemplateSyntaxError(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
      body === '' ? 'empty "${}"' : `"\${${body}}" does not start with a variable name`,
      at,
    );
  const rest = body.slice(name.length);
  if (rest === '') return { part: { kind: 'ref', name, offset: at }, end: close + 1 };
  const modifier = rest.startsWith(':-') ? ':-' : rest.startsWith('-') ? '-' : undefined;
  if (!modifier)
    throw new TemplateSyntaxError(
      `"\${${body}}": after the name only ":-default" or "-default" may follow`,
      at,
    );
  const defaultStart = start + 2 + name.length + modifier.length;
  const template = parseTemplate(value.slice(defaultStart, close), base + defaultStart);
  return {
    part: {
      kind: 'ref',
      name,
      offset: at,
      fallback: { when: modifier === ':-' ? 'unset-or-empty' : 'unset', template },
    },
    end: close + 1,
  };
}

/** The `}` that closes a `${` whose body starts at `from`, skipping nested `${...}` in defaults. */
function matchingBrace(value: string, from: number): number {
  let depth = 0;
  for (let i = from; i < value.length; i++) {
    if (value[i] === '$' && value[i + 1] === '$') {
      i++;
      continue;
    }
    if (value[i] === '$' && value[i + 1] === '{') {
      depth++;
      i++;
      continue;
    }
    if (value[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Every variable a parsed template may read (defaults included), in order. */
export function referencedNames(parts: readonly TemplatePart[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    if (p.kind !== 'ref') continue;
    out.push(p.name);
    if (p.fallback) out.push(...referencedNames(p.fallback.template));
  }
  return out;
}
