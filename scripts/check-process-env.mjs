// `npm run lint`: process.env, process.platform and process.arch are read only at the entries,
// which make one PolyContext (src/core/context.ts) and pass it down. A read anywhere else fails,
// unless the file is listed below with its reason.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOTS = ['src', 'runtimes', 'packages', 'bin/run.cjs'];
const READS = new Set(['env', 'platform', 'arch']);

/** The entries: each reads its own process once. */
const ENTRIES = {
  'bin/run.cjs': '`poly --version` prints the platform before anything loads',
  'src/cli/this-process.ts': 'makes the PolyContext of this process, for every entry',
  'src/cli/bundle-loader.ts':
    "loads a fast path's bundle before its context exists: V8's cached code in the store, per Node",
  'src/cli/render-error.ts':
    "the one error renderer, at each entry's top, where making the context may itself have failed: POLY_DEBUG",
  'src/core/docker/container-watchdog-main.ts':
    "the container watchdog's own process: the DOCKER_HOST the supervisor that started it was given",
};

/** A child process that inherits this process's environment, on purpose. */
const INHERITS = {
  'src/core/supervisor/group-watchdog.ts': "the watchdog child gets this process's PATH only",
  'src/core/supervisor/native-runner.ts': "the group leader shim gets this process's PATH only",
  'src/core/docker/container-watchdog.ts':
    'the container watchdog child inherits the environment (DOCKER_HOST)',
  'src/core/databases/mariadb-server.ts':
    "MariaDB's tools run with this process's environment and their own on top",
};

/**
 * Readers of this machine's /proc and process table: they ask the kernel they run on, which a
 * caller cannot choose (a context naming another OS would send them to a /proc that is not there).
 */
const OWN_KERNEL = {
  'src/core/supervisor/ports.ts': 'who holds a port: /proc/net/tcp on Linux, lsof elsewhere',
  'src/core/supervisor/process-alive.ts': 'a zombie is not alive: /proc/<pid>/stat on Linux',
  'src/core/supervisor/process-group.ts': "a group's live members: /proc/*/stat on Linux",
  'src/core/supervisor/process-tree.ts': "a service's processes by their marker: /proc/*/environ on Linux",
  'src/services/up/supervisor-process.ts': 'whether a pid still runs `poly supervise`: /proc/<pid>/cmdline',
};

/**
 * Left for a later change (issue #16): files below the entries that still read this process
 * themselves. A file here that no longer does fails too, so the list only shrinks.
 */
const KNOWN = [];

function sources(path) {
  if (!statSync(path).isDirectory()) return /\.([cm]?js|tsx?)$/.test(path) ? [path] : [];
  return readdirSync(path).flatMap((name) => sources(join(path, name)));
}

/** Lines of `file` that read process.env / .platform / .arch (comments do not count). */
function reads(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lines = [];
  const visit = (node) => {
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'process' &&
      READS.has(node.name.text)
    ) {
      lines.push(
        `${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: process.${node.name.text}`,
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

const allowed = new Set([
  ...Object.keys(ENTRIES),
  ...Object.keys(INHERITS),
  ...Object.keys(OWN_KERNEL),
  ...KNOWN,
]);
const failures = [];
let known = 0;
for (const file of ROOTS.flatMap(sources)) {
  const name = relative('.', file).split('\\').join('/');
  const found = reads(file);
  if (found.length > 0 && !allowed.has(name)) failures.push(`${name}:${found.join(`, ${name}:`)}`);
  if (KNOWN.includes(name)) {
    if (found.length === 0)
      failures.push(`${name} no longer reads process.env/platform/arch: drop it from KNOWN`);
    else known++;
  }
}
if (failures.length > 0) {
  for (const f of failures) console.error(`check-process-env: ${f}`);
  console.error(
    'hint: take the PolyContext (src/core/context.ts) or the env/host your caller passes; only the entries read the process.',
  );
  process.exit(1);
}
console.log(`check-process-env: only the entries read the process (${known} files left in KNOWN)`);
