import { spawnSync } from 'node:child_process';

/**
 * One line of `npm run bench`: a measured figure, the baseline measured in
 * the same run, and the target it is judged against.
 */
export interface BenchRow {
  name: string;
  /** Poly's figure, in `unit`. */
  value: number;
  unit: 'ms' | 'MB' | 'x';
  /** The baseline measured in the same run, when the figure is a comparison. */
  baseline?: { name: string; value: number };
  /** Human-readable target, e.g. "<= 2.0x node -e 0". */
  target: string;
  /** Whether the figure meets the target. */
  ok: boolean;
  note?: string;
}

/** A benchmark file (bench/<area>.bench.ts) default-exports one of these. */
export type Bench = () => Promise<BenchRow[]>;

/** Median wall time of a command in ms over `runs` runs, after `warmup` runs. */
export function timeCommand(
  cmd: string,
  args: string[],
  opts: { runs?: number; warmup?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): number {
  const runs = opts.runs ?? 15;
  const warmup = opts.warmup ?? 3;
  const samples: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    if (i >= warmup) samples.push(ms);
  }
  return median(samples);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function formatRow(row: BenchRow): string {
  const value = `${row.value.toFixed(row.unit === 'x' ? 2 : 1)}${row.unit === 'x' ? 'x' : ` ${row.unit}`}`;
  const base = row.baseline
    ? `  (${row.baseline.name}: ${row.baseline.value.toFixed(1)} ${row.unit === 'x' ? 'ms' : row.unit})`
    : '';
  const verdict = row.ok ? 'ok' : 'MISSED';
  return `${verdict.padEnd(6)} ${row.name.padEnd(58)} ${value.padStart(10)}  target ${row.target}${base}${row.note ? `  ${row.note}` : ''}`;
}

/**
 * Median wall time in ms of each command, run in turns (a, b, c, a, b, c, ...) so a
 * change in the machine's load during the run falls on all of them alike.
 */
export function timeInterleaved(
  commands: { cmd: string; args: string[] }[],
  opts: { runs?: number; warmup?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): number[] {
  const runs = opts.runs ?? 15;
  const warmup = opts.warmup ?? 3;
  const samples: number[][] = commands.map(() => []);
  for (let i = 0; i < warmup + runs; i++) {
    commands.forEach(({ cmd, args }, k) => {
      const start = process.hrtime.bigint();
      const r = spawnSync(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: 'ignore' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
      if (i >= warmup) samples[k]?.push(ms);
    });
  }
  return samples.map(median);
}
