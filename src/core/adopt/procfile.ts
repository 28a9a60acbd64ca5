import { EXIT_USAGE, PolyError } from '../errors.js';
import type { RuntimeName } from '../manifest/types.js';
import { readsPortVariable } from './port-variable.js';
import type { AdoptionNote, ProposedService } from './types.js';

/** The first word of a command -> the runtime whose toolchain it needs. */
const COMMAND_RUNTIMES: readonly [RegExp, RuntimeName][] = [
  [/^(node|npm|npx|pnpm|yarn)$/, 'node'],
  [/^(python3?|uvicorn|gunicorn|flask|celery|hypercorn|daphne|pip)$/, 'python'],
  [/^go$/, 'go'],
  [/^(cargo|rustc)$/, 'rust'],
  [/^(java|mvn|\.\/mvnw|gradle|\.\/gradlew)$/, 'java'],
];

/**
 * A Procfile (foreman, honcho, overmind, Heroku): `name: command` per line.
 * Each line is a service running that command with `$PORT` kept as written;
 * a command that uses $PORT gets port = "auto": a free port poly keeps across
 * runs (foreman's fixed 5000, 5100 … collide between projects; poly ps shows it).
 * So does `web` whatever its command says: Heroku and foreman give the web
 * process PORT, and `web: npm start` reads it in the app's own code.
 */
export function parseProcfile(
  text: string,
  file = 'Procfile',
): { services: ProposedService[]; notes: AdoptionNote[] } {
  const services: ProposedService[] = [];
  const notes: AdoptionNote[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^([A-Za-z0-9_-]+)\s*:\s*(.*)$/.exec(line);
    if (!m?.[1]) throw procfileError(file, index + 1, `"${line}" is not "name: command"`);
    const command = (m[2] ?? '').trim();
    if (command === '') throw procfileError(file, index + 1, `process type "${m[1]}" has no command`);
    const name = m[1].toLowerCase();
    const usesPort = readsPortVariable(command);
    if (name === 'web' && !usesPort)
      notes.push({
        file: `${file}:${index + 1}`,
        message:
          'web: Heroku and foreman give the web process $PORT, so poly does too (port = "auto"); remove the port line if this app listens on a port of its own',
      });
    const runtime = runtimeOfCommand(command);
    services.push({
      name,
      source: `${file}:${index + 1}`,
      run: command,
      ...(runtime ? { runtime } : {}),
      ...(usesPort || name === 'web' ? { port: 'auto' as const } : {}),
    });
  });
  return { services, notes };
}

function runtimeOfCommand(command: string): RuntimeName | undefined {
  // `bundle exec`-style prefixes and VAR=value assignments come before the program.
  const words = command.split(/\s+/).filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  const program = words[0] ?? '';
  return COMMAND_RUNTIMES.find(([pattern]) => pattern.test(program))?.[1];
}

function procfileError(file: string, line: number, reason: string): PolyError {
  return new PolyError('ADOPT_SYNTAX', `${file}:${line}: ${reason}`, {
    hint: `Each line of a Procfile is "<name>: <command>" (web: npm start). Fix ${file} and run poly init again; nothing was written.`,
    exitCode: EXIT_USAGE,
  });
}
