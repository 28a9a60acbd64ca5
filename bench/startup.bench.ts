import { fileURLToPath } from 'node:url';
import { type Bench, timeCommand } from './lib.js';

const poly = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

const bench: Bench = async () => {
  const node = timeCommand(process.execPath, ['-e', '0']);
  const version = timeCommand(process.execPath, [poly, '--version']);
  const help = timeCommand(process.execPath, [poly, '--help'], { runs: 7 });
  const baseline = { name: 'node -e 0', value: node };
  return [
    {
      name: 'poly --version vs node -e 0',
      value: version / node,
      unit: 'x',
      baseline,
      target: '<= 2.0x',
      ok: version / node <= 2,
    },
    {
      name: 'poly --help vs node -e 0',
      value: help / node,
      unit: 'x',
      baseline,
      target: 'reported',
      ok: true,
    },
  ];
};
export default bench;
