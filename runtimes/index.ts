import { isRuntimeName, RUNTIME_NAMES, type RuntimeName } from '../src/core/manifest/types.js';
import { go } from './go.js';
import { java } from './java.js';
import { node } from './node.js';
import { python } from './python.js';
import { rust } from './rust.js';
import type { RuntimeDefinition } from './types.js';

const DEFINITIONS: Record<RuntimeName, RuntimeDefinition> = { node, python, go, java, rust };

export function getRuntime(name: RuntimeName): RuntimeDefinition;
export function getRuntime(name: string): RuntimeDefinition | undefined;
export function getRuntime(name: string): RuntimeDefinition | undefined {
  return isRuntimeName(name) ? DEFINITIONS[name] : undefined;
}

/** Every runtime, in the manifest's order. */
export function allRuntimes(): RuntimeDefinition[] {
  return RUNTIME_NAMES.map((n) => DEFINITIONS[n]);
}
