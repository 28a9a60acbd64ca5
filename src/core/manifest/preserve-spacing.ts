/**
 * toml-patch re-aligns trailing comments in a block when it rewrites a row.
 * poly promises that an edit changes only the edited lines, byte for byte, so
 * after patching we put the user's own spacing back:
 * - a line that differs from an original line only in the spaces before its
 *   trailing comment becomes that original line again;
 * - an edited line keeps its comment where the original line had it.
 */
export function restoreCommentSpacing(before: string, after: string): string {
  const beforeLines = before.split('\n');
  const byNormal = new Map<string, string[]>();
  const byKeyAndComment = new Map<string, { code: string; commentAt: number }>();
  const verbatim = new Set(beforeLines);
  for (const line of beforeLines) {
    const parts = splitComment(line);
    if (!parts) continue;
    const normal = `${parts.code} ${parts.comment}`;
    const list = byNormal.get(normal) ?? [];
    list.push(line);
    byNormal.set(normal, list);
    const key = keyOf(parts.code);
    if (key !== undefined)
      byKeyAndComment.set(`${key}\u0000${parts.comment}`, { code: parts.code, commentAt: parts.commentAt });
  }
  return after
    .split('\n')
    .map((line) => {
      if (verbatim.has(line)) return line;
      const parts = splitComment(line);
      if (!parts) return line;
      const same = byNormal.get(`${parts.code} ${parts.comment}`);
      if (same?.length) return same.shift() as string;
      const key = keyOf(parts.code);
      const original = key === undefined ? undefined : byKeyAndComment.get(`${key}\u0000${parts.comment}`);
      if (!original) return line;
      const gap = Math.max(1, original.commentAt - parts.code.length);
      return `${parts.code}${' '.repeat(gap)}${parts.comment}`;
    })
    .join('\n');
}

interface CommentParts {
  /** The line up to the comment, trailing spaces removed. */
  code: string;
  /** From "#" to the end of the line (a trailing "\r" included). */
  comment: string;
  /** Index of "#" in the line. */
  commentAt: number;
}

/** Splits `code   # comment`, honouring quotes; undefined when there is no trailing comment. */
function splitComment(line: string): CommentParts | undefined {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#') {
      const code = line.slice(0, i).trimEnd();
      if (code.trim() === '') return undefined; // a whole-line comment
      return { code, comment: line.slice(i), commentAt: i };
    }
  }
  return undefined;
}

/** The key part of `key = value` (or a [header]), spacing as written. */
function keyOf(code: string): string | undefined {
  if (/^\s*\[/.test(code)) return code;
  const eq = code.indexOf('=');
  return eq === -1 ? undefined : code.slice(0, eq);
}
