// CommonJS on purpose: this require() runs at the first call, in tsc's output and in the
// bundle alike (esbuild keeps a bundled require() where it is written, where an import is
// run when its module loads). semver's start-up (its few dozen regular expressions) costs
// about a quarter of `node -e 0` in instructions, and cold commands that compare no version
// (`poly ps`, `poly ls` of a project without pins) need not pay it.

/** The semver package, loaded on first use. */
export function semver(): typeof import('semver') {
  return require('semver');
}
