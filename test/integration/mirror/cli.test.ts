import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

const cli = new URL('../../helpers/mirror/cli.js', import.meta.url).pathname;

describe('mirror: the hand-run CLI', () => {
  it('prints export lines for every mirror variable, serves, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, '--runtimes', 'node'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const env: Record<string, string> = {};
      for await (const line of createInterface({ input: child.stdout })) {
        const match = /^export (POLY_\w+)='([^']*)'$/.exec(line);
        assert.ok(match, `unexpected line: ${line}`);
        env[match[1]!] = match[2]!;
        if (Object.keys(env).length === 6) break;
      }
      assert.deepEqual(Object.keys(env).sort(), [
        'POLY_GO_MIRROR',
        'POLY_JAVA_MIRROR',
        'POLY_NODE_MIRROR',
        'POLY_PYTHON_INDEX_URL',
        'POLY_PYTHON_MIRROR',
        'POLY_RUST_MIRROR',
      ]);
      const index = (await (await fetch(`${env.POLY_NODE_MIRROR}/index.json`)).json()) as {
        version: string;
      }[];
      assert.ok(index.length >= 1);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
