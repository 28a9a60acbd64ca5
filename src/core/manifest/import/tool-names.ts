import type { RuntimeName } from '../types.js';

/** Tool names used by asdf and mise, mapped to poly's runtimes. */
const NAMES: Record<string, RuntimeName> = {
  node: 'node',
  nodejs: 'node',
  python: 'python',
  go: 'go',
  golang: 'go',
  java: 'java',
  rust: 'rust',
};

export function runtimeForTool(name: string): RuntimeName | undefined {
  return NAMES[name.replace(/^core:/, '').toLowerCase()];
}
