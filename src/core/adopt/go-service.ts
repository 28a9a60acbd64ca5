import type { FolderContext, FolderService } from './types.js';

/** The cmd/<name> folder a person starts first when a module has several. */
const SERVER_NAMES = ['server', 'api', 'web', 'app', 'service', 'gateway'];

/**
 * go.mod with a main package: at the module root (`go run .`) or under
 * cmd/<name> (`go run ./cmd/server`, preferring a server-like name).
 */
export function detectGoService(ctx: FolderContext): FolderService | undefined {
  if (!ctx.files.has('go.mod')) return undefined;
  const rootMain = mainSource(ctx, ctx.files, '');
  let target: string | undefined = rootMain === undefined ? undefined : '.';
  let source = rootMain;
  const notes: string[] = [];
  if (target === undefined && ctx.dirs.includes('cmd')) {
    const commands = ctx
      .listDirs('cmd')
      .filter((name) => mainSource(ctx, undefined, `cmd/${name}/`) !== undefined);
    const chosen =
      SERVER_NAMES.find((n) => commands.includes(n)) ??
      commands.find((n) => n === ctx.rel.split('/').pop()) ??
      commands[0];
    if (chosen) {
      target = `./cmd/${chosen}`;
      source = mainSource(ctx, undefined, `cmd/${chosen}/`);
      const others = commands.filter((n) => n !== chosen);
      if (others.length)
        notes.push(
          `also has ${others.map((n) => `cmd/${n}`).join(', ')}: add them by hand if they are services`,
        );
    }
  }
  if (target === undefined || source === undefined) return undefined;
  const port = goListenPort(source.text);
  return {
    runtime: 'go',
    file: target === '.' ? source.file : `${target.slice(2)}/${source.file}`,
    run: `go run ${target}`,
    ...(port ? { port, health: { tcp: port, start_period: '2m' } } : {}),
    ...(notes.length ? { notes } : {}),
  };
}

/** The first .go file (not a test) in `prefix` that declares package main. */
function mainSource(
  ctx: FolderContext,
  files: ReadonlySet<string> | undefined,
  prefix: string,
): { file: string; text: string } | undefined {
  const names = files ? [...files] : ctx.list(prefix);
  for (const name of names.filter((n) => n.endsWith('.go') && !n.endsWith('_test.go')).sort()) {
    const text = ctx.read(`${prefix}${name}`);
    if (text && /^package\s+main\b/m.test(text)) return { file: name, text };
  }
  return undefined;
}

/** `http.ListenAndServe(":8080", ...)`, `Addr: ":8080"`, `os.Getenv("PORT")` with a "8080" fallback. */
export function goListenPort(source: string): number | undefined {
  const m =
    /(?:ListenAndServe|Listen|Run)\(\s*"(?:[\w.]*):(\d{2,5})"/.exec(source) ??
    /Addr:\s*"(?:[\w.]*):(\d{2,5})"/.exec(source) ??
    /(?:port|PORT)\s*=\s*"(\d{2,5})"/.exec(source) ??
    /"(?:127\.0\.0\.1|0\.0\.0\.0|localhost)?:(\d{2,5})"/.exec(source);
  return m?.[1] ? Number(m[1]) : undefined;
}
