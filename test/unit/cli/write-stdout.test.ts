import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const MODULE = fileURLToPath(new URL('../../../src/cli/write-stdout.js', import.meta.url));
const MIB = 1 << 20;

/** A real child process that writes `bytes` bytes of 'x' with writeStdout, then exits 0. */
function writer(bytes: number) {
  const script = `import(${JSON.stringify(MODULE)}).then((m) => m.writeStdout('x'.repeat(${bytes})))`;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('writeStdout: the fast paths output without process.stdout', () => {
  it('writes all of a text larger than a pipe holds, in order', async () => {
    const child = writer(MIB);
    let got = 0;
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      got += chunk.length;
    });
    child.stderr.on('data', (chunk) => {
      err += String(chunk);
    });
    const [code] = await once(child, 'exit');
    assert.equal(err, '');
    assert.equal(code, 0);
    assert.equal(got, MIB);
  });

  it('ends quietly when the reader goes away (EPIPE), as `poly ls | head -1` needs', async () => {
    const child = writer(8 * MIB);
    let err = '';
    child.stderr.on('data', (chunk) => {
      err += String(chunk);
    });
    // The reader reads the first chunk and leaves
    await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = await once(child, 'exit');
    assert.equal(err, '');
    assert.equal(code, 0);
  });
});
