import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { readManifestFile } from '../src/core/manifest/load.js';
import { type Bench, median, timeCommand } from './lib.js';

const example = fileURLToPath(new URL('../../project.example.toml', import.meta.url));
const loader = new URL('../src/core/manifest/load.js', import.meta.url).href;

/** Median ms of `fn` over `rounds` rounds of `n` calls each, per call. */
function perCall(fn: () => void, n = 200, rounds = 7): number {
  for (let i = 0; i < n; i++) fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6 / n);
  }
  return median(samples);
}

/**
 * The manifest is read on hot paths (exec, the shell hook when something
 * changed), so both its load cost in a fresh process and validation's cost
 * over bare TOML parsing are tracked.
 */
const bench: Bench = async () => {
  const node = timeCommand(process.execPath, ['-e', '0'], { runs: 11 });
  const cold = timeCommand(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(loader)}); m.readManifestFile(${JSON.stringify(example)});`,
    ],
    { runs: 11 },
  );
  const source = readFileSync(example, 'utf8');
  const bare = perCall(() => parse(source));
  const full = perCall(() => readManifestFile(example));
  return [
    {
      name: 'load + validate project.example.toml, fresh process, over node -e 0',
      value: cold - node,
      unit: 'ms',
      baseline: { name: 'node -e 0', value: node },
      target: '<= 30 ms',
      ok: cold - node <= 30,
    },
    {
      name: 'readManifestFile vs smol-toml parse alone (in process)',
      value: full / bare,
      unit: 'x',
      baseline: { name: 'smol-toml parse', value: bare },
      target: '<= 5.0x',
      ok: full / bare <= 5,
      note: 'validation includes a realpath check of each existing service folder',
    },
  ];
};
export default bench;
