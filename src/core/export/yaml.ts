/**
 * YAML text of documents, `---` between them. Written as YAML 1.1 so that
 * strings a 1.1 reader would take for something else ("no", "on", "0755")
 * are quoted: compose and kubectl both read 1.1-style booleans. The `yaml`
 * package loads only when something is exported.
 */
export async function yamlDocuments(documents: readonly unknown[]): Promise<string> {
  const { stringify } = await import('yaml');
  return documents
    .map((d) => stringify(d, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
