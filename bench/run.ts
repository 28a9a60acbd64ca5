// `npm run bench`: runs every bench/*.bench.js (compiled) and prints one line per
// figure, with the baseline measured in the same run. Optional filter: names (their start).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Bench, formatRow } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  // A name from its start: `up` is up.bench.js, not startup.bench.js too.
  .filter((f) => filters.length === 0 || filters.some((x) => f.startsWith(x)))
  .sort();

let missed = 0;
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: Bench };
  process.stdout.write(`\n# ${file.replace('.bench.js', '')}\n`);
  try {
    for (const row of await mod.default()) {
      if (!row.ok) missed++;
      process.stdout.write(`${formatRow(row)}\n`);
    }
  } catch (err) {
    missed++;
    process.stdout.write(`FAILED ${file}: ${(err as Error).message}\n`);
  }
}
process.stdout.write(`\n${missed === 0 ? 'all targets met' : `${missed} target(s) missed`}\n`);
