import { type Host, makeContext, type PolyContext } from '../../src/core/context.js';

/** The context a poly entry would make for `env` on this machine (tests are entries too). */
export function testContext(env: NodeJS.ProcessEnv): PolyContext {
  return makeContext(env, testHost());
}

/** This machine, as an entry reads it. */
export function testHost(): Host {
  return { os: process.platform, arch: process.arch };
}
