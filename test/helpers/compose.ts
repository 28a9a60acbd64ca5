import { execa } from 'execa';

/**
 * Docker Compose v2 (the `docker compose` CLI plugin that scripts/setup-machine.sh
 * builds and installs), or why there is none. With CI=true a missing plugin is a
 * failure; elsewhere the test skips and says why.
 */
export async function composeForTests(): Promise<{ version?: string; skip: string | false }> {
  const run = await execa('docker', ['compose', 'version', '--short'], { reject: false, stdin: 'ignore' });
  const version = String(run.stdout).trim();
  if (run.exitCode === 0 && /^v?2\./.test(version)) return { version, skip: false };
  const reason = `no Docker Compose v2 plugin (\`docker compose version\`: ${
    String(run.stderr).trim().split('\n')[0] || version || `exit ${run.exitCode}`
  }); bash scripts/setup-machine.sh installs it`;
  if (process.env.CI === 'true') throw new Error(reason);
  console.log(`# skipping compose tests: ${reason}`);
  return { skip: reason };
}

/** `docker compose -p <project> -f <file> …`; resolves whatever the exit code. */
export function compose(file: string, project: string, args: string[], env?: NodeJS.ProcessEnv) {
  return execa('docker', ['compose', '-f', file, '-p', project, ...args], {
    reject: false,
    stdin: 'ignore',
    all: true,
    ...(env ? { env } : {}),
  });
}
