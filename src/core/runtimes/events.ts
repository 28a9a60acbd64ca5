import type { RuntimeName } from '../manifest/types.js';

/** Progress of installing toolchains, emitted by the engine and services; UIs render it. */
export type InstallEvent =
  | { type: 'resolve'; runtime: RuntimeName; spec: string }
  | { type: 'resolved'; runtime: RuntimeName; spec: string; version: string; installed: boolean }
  | { type: 'wait'; runtime: RuntimeName; version: string; ownerPid?: number }
  | { type: 'download'; runtime: RuntimeName; version: string; bytes: number; total?: number; speed: number }
  | { type: 'retry'; runtime: RuntimeName; version: string; attempt: number; reason: string }
  /** A source sent nothing for a while (POLY_HTTP_SLOW_MS): what poly is waiting for. */
  | { type: 'slow'; runtime: RuntimeName; version: string; url: string; seconds: number }
  | { type: 'verify'; runtime: RuntimeName; version: string; checksum: string }
  | { type: 'unpack'; runtime: RuntimeName; version: string }
  | { type: 'done'; runtime: RuntimeName; version: string; dir: string; installed: boolean }
  | { type: 'error'; runtime: RuntimeName; message: string };

export type InstallEventHandler = (event: InstallEvent) => void;
