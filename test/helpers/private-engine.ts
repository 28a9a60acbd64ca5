import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';

/**
 * A second Docker engine of the test's own: Debian's dockerd started in its
 * own network namespace, on a socket, data root and exec root in a temp dir,
 * with no bridge and no iptables rules, so it touches nothing of the shared
 * engine. For the tests
 * that need an engine in a state the shared one must not be put in while
 * other tests use it (one that is not a Swarm: a `docker swarm leave` on the
 * shared engine breaks name resolution on every bridge network that exists at
 * that moment, moby/moby#45144, so the tests never leave mid-run).
 * It starts its own containerd and runs no containers; it is for API answers.
 */
export interface PrivateEngine {
  /** `unix://…`, for DOCKER_HOST. */
  host: string;
  stop(): Promise<void>;
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Why there can be no private engine here, or false. dockerd needs root. */
export function privateEngineUnavailable(): string | false {
  if (process.getuid?.() !== 0) return 'a private dockerd needs root';
  return false;
}

export async function startPrivateEngine(timeoutMs = 30_000): Promise<PrivateEngine> {
  // Short: a unix socket path is limited to 107 bytes.
  const dir = mkdtempSync('/tmp/poly-engine-');
  const socket = join(dir, 'docker.sock');
  const config = join(dir, 'daemon.json');
  // Its own (empty) daemon.json: the machine's /etc/docker/daemon.json may name hosts or a data root.
  writeFileSync(config, '{}\n');
  // In a network namespace of its own: with --bridge none a dockerd deletes the interface named docker0,
  // and in the machine's namespace that is the shared engine's bridge (every later build and container
  // then fails with "could not find bridge docker0"). The socket is a file, reachable from outside.
  const child = spawn(
    'unshare',
    [
      '--net',
      'dockerd',
      '--config-file',
      config,
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'dockerd.pid'),
      '--host',
      `unix://${socket}`,
      '--bridge',
      'none',
      '--iptables=false',
      '--ip6tables=false',
      '--ip-masq=false',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const host = `unix://${socket}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(killed);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the private dockerd exited (${child.exitCode}):\n${log}`);
    }
    if (await socketAnswers(socket)) {
      const info = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], {
        env: { DOCKER_HOST: host },
        reject: false,
      });
      if (info.exitCode === 0) return { host, stop };
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the private dockerd did not answer within ${timeoutMs / 1000}s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
