// A real poly process for lock and crash tests: installs the project at argv[2]
// with the environment it was given, prints the result as JSON.
import { install } from '../../src/services/install/install.js';
import { testContext } from './context.js';

const cwd = process.argv[2] ?? process.cwd();
install({
  cwd,
  ctx: testContext(process.env),
  onEvent: (e) => e.type === 'download' && process.stderr.write(`download ${e.bytes}\n`),
})
  .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
  .catch((err: Error) => {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 1;
  });
