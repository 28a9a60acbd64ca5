import type { Platform } from '../../../runtimes/types.js';
import type { RuntimeName } from '../manifest/types.js';
import type { StoreLayout } from '../store/layout.js';
import type { LockedRuntime, Lockfile } from '../store/lockfile.js';
import type { InstallEventHandler } from './events.js';

/** What one install run works with: the store, the lock it may reuse, and how it may reach the network. */
export interface InstallPlan {
  layout: StoreLayout;
  env: NodeJS.ProcessEnv;
  /** This machine, or undefined where poly installs no toolchains (installPins refuses then). */
  platform: Platform | undefined;
  /** This machine as Node names it (process.platform, process.arch), for the refusal. */
  host: { os: string; arch: string };
  lock: Lockfile | undefined;
  frozen: boolean;
  refresh: boolean;
  offline: boolean;
  onEvent: InstallEventHandler | undefined;
}

export interface RuntimeInstallResult {
  runtime: RuntimeName;
  spec: string;
  version: string;
  dir: string;
  /** True when this run downloaded it; false when it was already there. */
  installed: boolean;
  source: string;
}

/** One pin settled: where it is, and the lock entry that says so (none for `system` or an offline pick). */
export interface PinOutcome {
  result: RuntimeInstallResult;
  locked?: LockedRuntime;
}
