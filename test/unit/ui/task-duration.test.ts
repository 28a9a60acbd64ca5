import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatDuration } from '../../../src/ui/task-plain.js';
import { REPO_ROOT } from '../../helpers/poly-cli.js';

/** bin/poly-run.sh's own duration function, run by sh on each of `ms`. */
function shDurations(ms: number[]): string[] {
  const script = readFileSync(join(REPO_ROOT, 'bin', 'poly-run.sh'), 'utf8');
  const fn = /^__poly_run_duration\(\) \{\n[\s\S]*?\n\}\n/m.exec(script)?.[0];
  assert.ok(fn, 'bin/poly-run.sh defines __poly_run_duration');
  const out = execFileSync(
    'sh',
    ['-c', `${fn}for ms; do __poly_run_duration "$ms"; echo "$__poly_d"; done`, 'sh', ...ms.map(String)],
    {
      encoding: 'utf8',
    },
  );
  return out.trimEnd().split('\n');
}

describe('a task duration, as both paths of poly run print it', () => {
  const cases: [number, string][] = [
    [0, '0ms'],
    [231, '231ms'],
    [2_849, '2.8s'],
    [19_400, '19.4s'],
    [60_000, '1m00s'],
    [68_400, '1m08s'],
    [119_499, '1m59s'],
    [119_700, '2m00s'],
    [3_599_600, '60m00s'],
  ];
  it('is ms, tenths of seconds, then minutes and whole seconds, never 60s', () => {
    assert.deepEqual(
      cases.map(([ms]) => formatDuration(ms)),
      cases.map(([, text]) => text),
    );
  });
  it('reads the same from bin/poly-run.sh', () => {
    assert.deepEqual(
      shDurations(cases.map(([ms]) => ms)),
      cases.map(([, text]) => text),
    );
  });
});
