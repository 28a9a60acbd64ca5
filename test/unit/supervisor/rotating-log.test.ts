import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RotatingLog } from '../../../src/core/supervisor/rotating-log.js';
import { lastLines } from '../../../src/services/up/logs.js';

describe('RotatingLog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'poly-log-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('rotates by size and keeps the configured number of old files', () => {
    const file = join(dir, 'logs', 'api.log');
    const log = new RotatingLog(file, { maxBytes: 100, keep: 2 });
    for (let i = 0; i < 50; i++) log.write(`line ${String(i).padStart(2, '0')} ........\n`); // 20 bytes each
    log.close();
    assert.deepEqual(readdirSync(join(dir, 'logs')).sort(), ['api.log', 'api.log.1', 'api.log.2']);
    for (const name of ['api.log', 'api.log.1', 'api.log.2'])
      assert.ok(statSync(join(dir, 'logs', name)).size <= 100);
    // Newest lines in the live file, the ones before in .1, then .2; older ones dropped.
    assert.match(readFileSync(file, 'utf8'), /line 49/);
    assert.match(readFileSync(`${file}.1`, 'utf8'), /line 4[0-4]/);
    assert.doesNotMatch(readFileSync(`${file}.2`, 'utf8'), /line 0[0-9]/);
    assert.deepEqual(lastLines(file, statSync(file).size, 2), ['line 48 ........', 'line 49 ........']);
  });

  it('appends to an existing file after a restart of the supervisor', () => {
    const file = join(dir, 'again.log');
    new RotatingLog(file).write('one\n');
    const log = new RotatingLog(file);
    log.write('two\n');
    log.close();
    assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\n');
  });
});
