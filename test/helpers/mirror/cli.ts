/**
 * Runs the test mirror by hand, for demos on a machine that cannot reach the official hosts:
 *
 *   eval "$(node dist/test/helpers/mirror/cli.js)"      # in another terminal, or:
 *   node dist/test/helpers/mirror/cli.js > mirror.env &  then  . ./mirror.env
 *
 * Prints one `export POLY_..._MIRROR=...` line per variable on stdout (progress goes to
 * stderr), then serves until killed. Options:
 *   --runtimes node,go     serve only these (default: all five)
 *   --port 8080            listen on this port (default: an ephemeral one)
 *   --prepare              build the archive cache and exit (e.g. once before the tests)
 */
import { parseArgs } from 'node:util';
import {
  ALL_MIRROR_RUNTIMES,
  type MirrorRuntime,
  mirrorCacheDir,
  prepareMirror,
  startMirror,
} from './index.js';

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runtimes: { type: 'string' },
      port: { type: 'string' },
      prepare: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: cli.js [--runtimes node,python,go,java,rust] [--port N] [--prepare]\n');
    return;
  }
  const runtimes = (values.runtimes?.split(',').filter(Boolean) ?? [
    ...ALL_MIRROR_RUNTIMES,
  ]) as MirrorRuntime[];
  const unknown = runtimes.filter((r) => !ALL_MIRROR_RUNTIMES.includes(r));
  if (unknown.length > 0) throw new Error(`unknown runtime(s): ${unknown.join(', ')}`);
  const started = Date.now();
  process.stderr.write(`poly test mirror: preparing ${runtimes.join(', ')} (cache: ${mirrorCacheDir()})\n`);
  if (values.prepare) {
    await prepareMirror({ runtimes });
    process.stderr.write(
      `poly test mirror: cache ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    return;
  }
  const mirror = await startMirror({ runtimes, port: values.port ? Number(values.port) : undefined });
  for (const [name, value] of Object.entries(mirror.env))
    process.stdout.write(`export ${name}=${shellQuote(value)}\n`);
  const served = runtimes.map((r) => `${r} ${mirror.versions[r].join(' ')}`).join('; ');
  process.stderr.write(
    `poly test mirror: serving ${served} at ${mirror.url} (ready in ${Date.now() - started} ms)\n`,
  );
  const stop = () => {
    void mirror.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`poly test mirror: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
