import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/**
 * The engine's Swarm, for the tests that deploy on it. The engine is shared,
 * so one test at a time holds it: a lock (an atomically made folder with the
 * holder's pid; a dead holder's lock is taken over) from before its first
 * Swarm call to after its last. The holder initialises the Swarm when the
 * engine is not in one (`docker swarm init --advertise-addr 127.0.0.1`); an
 * engine that was already a Swarm is left as it was.
 *
 * Leaving is deferred to the end of the run: `docker swarm leave` breaks name
 * resolution on every bridge network that exists at that moment (moby/moby#45144;
 * measured on this engine: containers on a network made before the leave no
 * longer resolve each other, while `swarm init` breaks nothing), and other test
 * files run their compose and container projects on such networks at the same
 * time. So under scripts/test.mjs (POLY_TEST_SHARED_HOME set) a holder that
 * initialised the Swarm marks it in the run's shared folder, and test.mjs leaves
 * once every test file has finished. A file run on its own leaves on release.
 */
export interface TestSwarm {
  /** The node's state when the lock was taken ("inactive" unless the engine was already a Swarm). */
  stateBefore: string;
  /** `docker swarm init` unless active; idempotent. */
  join(): Promise<void>;
  /** Leaves if join() initialised the Swarm, then frees the lock. */
  release(): Promise<void>;
}

const LOCK = join(tmpdir(), 'poly-test-swarm.lock');
/** The marker scripts/test.mjs reads after the run; keep the two names the same. */
const RUN_MARKER = 'swarm-initialised-by-run';

export async function swarmState(): Promise<string> {
  const { stdout } = await execa('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}']);
  return stdout.trim();
}

function holderAlive(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
  } catch {
    // Made but not yet written: its maker is alive a moment ago.
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function takeLock(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (!holderAlive()) rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() > deadline)
      throw new Error(`the test Swarm is still held by the test in ${LOCK} after ${timeoutMs / 1000}s`);
    else await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Waits (up to timeoutMs) for the other Swarm test to finish, then holds the Swarm. */
export async function holdTestSwarm(timeoutMs = 40 * 60_000): Promise<TestSwarm> {
  await takeLock(timeoutMs);
  let initialised = false;
  let released = false;
  const stateBefore = await swarmState();
  return {
    stateBefore,
    async join() {
      if ((await swarmState()) === 'active') return;
      await execa('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
      initialised = true;
    },
    async release() {
      if (released) return;
      released = true;
      try {
        const run = process.env.POLY_TEST_SHARED_HOME;
        if (initialised && run) writeFileSync(join(run, RUN_MARKER), `${process.pid}\n`);
        else if (initialised) await execa('docker', ['swarm', 'leave', '--force'], { reject: false });
      } finally {
        rmSync(LOCK, { recursive: true, force: true });
      }
    },
  };
}
