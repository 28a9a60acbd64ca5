// The environment poly's build runs the oclif CLI with. oclif's own update check prints
// "oclif update available" into every build and fetches from the registry in the background;
// poly's users do not need to hear about poly's build tool.
export function quietOclifEnv(env = process.env) {
  return { ...env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' };
}
