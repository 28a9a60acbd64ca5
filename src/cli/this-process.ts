import { makeContext, type PolyContext } from '../core/context.js';

/**
 * The one place a poly process reads its own environment and machine (scripts/check-process-env.mjs
 * fails on process.env anywhere else below the entries). Each entry calls it once and passes the
 * context down.
 */
export function thisProcessContext(): PolyContext {
  return makeContext(process.env, { os: process.platform, arch: process.arch });
}
