import { parseTomlFile } from './parse-input.js';
import type { FolderContext, FolderService } from './types.js';

/** Where FastAPI, Flask and friends usually keep the app object, most usual first. */
const APP_FILES = [
  'app/main.py',
  'main.py',
  'app.py',
  'src/main.py',
  'api/main.py',
  'app/app.py',
  'server.py',
  'wsgi.py',
  'asgi.py',
];

interface PyProject {
  project?: { dependencies?: unknown; 'requires-python'?: unknown };
  tool?: { poetry?: { dependencies?: Record<string, unknown> } };
}

/**
 * A Python app whose entry can be named: Django's manage.py, an ASGI app
 * (FastAPI, Starlette, Litestar) for uvicorn, a Flask app, or a WSGI app for
 * gunicorn. Needs pyproject.toml, requirements.txt or manage.py: a loose .py
 * file is a script, not a service.
 */
export function detectPythonService(ctx: FolderContext): FolderService | undefined {
  const pyproject = ctx.read('pyproject.toml');
  const requirements = ctx.read('requirements.txt');
  const hasManage = ctx.files.has('manage.py');
  if (pyproject === undefined && requirements === undefined && !hasManage) return undefined;
  const display = (f: string) => (ctx.rel === '.' ? f : `${ctx.rel}/${f}`);
  const project =
    pyproject === undefined ? {} : (parseTomlFile(pyproject, display('pyproject.toml')) as PyProject);
  const deps = dependencyNames(project, requirements);
  const impliedPin = requiresPython(project);
  const base = { runtime: 'python' as const, ...(impliedPin ? { impliedPin } : {}) };
  const port = (source: string, fallback: number) =>
    Number(/\.run\([^)]*\bport\s*=\s*(\d{2,5})/.exec(source)?.[1] ?? fallback);
  if (hasManage)
    return { ...base, file: 'manage.py', run: 'python manage.py runserver 127.0.0.1:$PORT', port: 8000 };
  for (const file of APP_FILES) {
    const source = ctx.read(file);
    if (source === undefined) continue;
    const module = file
      .replace(/\.py$/, '')
      .replace(/^src\//, '')
      .replaceAll('/', '.');
    const asgi = /^(\w+)\s*(?::[^=]*)?=\s*(?:FastAPI|Starlette|Litestar)\(/m.exec(source);
    if (asgi?.[1]) {
      const run = `uvicorn ${module}:${asgi[1]} --host 127.0.0.1 --port $PORT`;
      return {
        ...base,
        file,
        run,
        port: port(source, 8000),
        ...(deps.has('uvicorn') ? {} : { notes: [noDep('uvicorn')] }),
      };
    }
    const flask = /^(\w+)\s*=\s*Flask\(/m.exec(source);
    if (flask?.[1]) {
      if (deps.has('gunicorn') && !deps.has('flask'))
        return {
          ...base,
          file,
          run: `gunicorn ${module}:${flask[1]} --bind 127.0.0.1:$PORT`,
          port: port(source, 8000),
        };
      return {
        ...base,
        file,
        run: `flask --app ${module}:${flask[1]} run --port $PORT`,
        port: port(source, 5000),
      };
    }
    if (deps.has('gunicorn') && /^(application|app)\s*=/m.test(source)) {
      const name = /^(application|app)\s*=/m.exec(source)?.[1] ?? 'app';
      return {
        ...base,
        file,
        run: `gunicorn ${module}:${name} --bind 127.0.0.1:$PORT`,
        port: port(source, 8000),
      };
    }
  }
  return undefined;
}

function noDep(name: string): string {
  return `${name} is not in its dependencies; install it (poly exec -- pip install ${name}) or change run`;
}

/** Lowercased distribution names from PEP 621, Poetry and requirements.txt. */
function dependencyNames(project: PyProject, requirements: string | undefined): Set<string> {
  const names = new Set<string>();
  const add = (spec: string) => {
    const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
    if (m?.[1]) names.add(m[1].toLowerCase().replaceAll('_', '-'));
  };
  const pep621 = project.project?.dependencies;
  if (Array.isArray(pep621)) for (const d of pep621) if (typeof d === 'string') add(d);
  for (const d of Object.keys(project.tool?.poetry?.dependencies ?? {})) add(d);
  for (const line of (requirements ?? '').split(/\r?\n/)) if (!/^\s*(#|-)/.test(line)) add(line);
  return names;
}

/**
 * `requires-python = ">=3.11"`, or Poetry's `python = "^3.11"` in
 * [tool.poetry.dependencies]: the lowest minor it allows, as a prefix pin ("3.11").
 */
function requiresPython(project: PyProject): FolderService['impliedPin'] {
  const pep621 = project.project?.['requires-python'];
  const poetry = project.tool?.poetry?.dependencies?.python;
  const [key, written] =
    typeof pep621 === 'string'
      ? ['requires-python', pep621]
      : ['python', typeof poetry === 'string' ? poetry : undefined];
  if (written === undefined) return undefined;
  const m = /(?:>=|~=|==|\^|~)\s*(3\.\d+)/.exec(written);
  return m?.[1] ? { spec: m[1], written: `${key} = "${written}"`, file: 'pyproject.toml' } : undefined;
}
