/** The line each start of a service writes to its log: `--- started 2026-12-01T09:12:03Z (restart 2) ---`. */
export function runMarker(at: number, restarts: number): string {
  const when = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `--- started ${when}${restarts > 0 ? ` (restart ${restarts})` : ''} ---`;
}

/** Whether a log line is a start marker: `poly logs` shows what follows the last one. */
export function isRunMarker(line: string): boolean {
  return /^--- started \S+( \(restart \d+\))? ---$/.test(line);
}
