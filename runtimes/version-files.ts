/** Small readers shared by several runtimes' idiomatic version files. Pure. */

/** The first non-comment, non-empty line (.nvmrc, .python-version, .go-version …). */
export function firstLine(content: string): string | undefined {
  for (const line of content.split(/\r?\n/)) {
    const t = line.replace(/#.*$/, '').trim();
    if (t) return t;
  }
  return undefined;
}

/** asdf's .tool-versions: `<tool> <version> [fallbacks…]`; the first version of the first matching tool. */
export function toolVersionsEntry(content: string, tools: readonly string[]): string | undefined {
  for (const line of content.split(/\r?\n/)) {
    const [tool, version] = line.replace(/#.*$/, '').trim().split(/\s+/);
    if (tool && version && tools.includes(tool)) return version;
  }
  return undefined;
}

/** mise.toml `[tools]` entries written as `tool = "version"` (the common form). */
export function miseToolsEntry(content: string, tools: readonly string[]): string | undefined {
  let inTools = false;
  for (const line of content.split(/\r?\n/)) {
    const t = line.trim();
    if (t.startsWith('[')) {
      inTools = t === '[tools]';
      continue;
    }
    if (!inTools) continue;
    const m = /^"?([A-Za-z0-9_-]+)"?\s*=\s*["']([^"']+)["']/.exec(t);
    if (m?.[1] && m[2] && tools.includes(m[1])) return m[2];
  }
  return undefined;
}
