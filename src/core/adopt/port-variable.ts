/** Whether a command line reads `$PORT` / `${PORT}`: poly gives such a service its port that way. */
export function readsPortVariable(command: string): boolean {
  return /\$\{?PORT\b/.test(command);
}
