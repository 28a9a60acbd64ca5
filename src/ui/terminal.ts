/**
 * Ink's own rule (is-in-ci): any CI value but "0"/"false", or any CI_* variable,
 * means no one watches the screen and Ink draws only the last frame. poly draws
 * its live views under the same rule, and falls back to plain lines otherwise.
 */
export function inCI(env: NodeJS.ProcessEnv): boolean {
  if (env.CI === '0' || env.CI === 'false') return false;
  return 'CI' in env || 'CONTINUOUS_INTEGRATION' in env || Object.keys(env).some((k) => k.startsWith('CI_'));
}

/** True when a person is at a terminal: the given streams are TTYs and this is not CI. */
export function interactiveTerminal(
  streams: ReadonlyArray<{ isTTY?: boolean }>,
  env: NodeJS.ProcessEnv,
): boolean {
  return streams.every((s) => s.isTTY === true) && !inCI(env);
}
