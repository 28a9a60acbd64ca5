import type { ProposedService } from '../core/adopt/types.js';
import type { InitResult } from '../services/new/init.js';

/** One line describing a proposed service: `api  rust · cargo run · port 3000`. */
export function serviceSummary(s: ProposedService): string {
  const what = s.image
    ? `image ${s.image}`
    : s.build
      ? `build ${s.build}`
      : [s.runtime, s.run].filter(Boolean).join(' · ');
  const parts = [what];
  if (s.port !== undefined) parts.push(`port ${s.port}`);
  if (s.depends_on?.length) parts.push(`after ${s.depends_on.join(', ')}`);
  return parts.join(' · ');
}

/** The plain-text report of `poly init` (the Ink review's twin): what was pinned and declared, from where, and the notes. */
export function initReportLines(result: InitResult): string[] {
  const lines: string[] = [];
  const pinWidth = Math.max(0, ...result.pinned.map((p) => `${p.runtime} = "${p.spec}"`.length));
  for (const p of result.pinned)
    lines.push(
      `pinned  ${`${p.runtime} = "${p.spec}"`.padEnd(pinWidth)}  ${p.source.startsWith('default') ? p.source : `from ${p.source}`}`,
    );
  const nameWidth = Math.max(0, ...result.services.map((s) => s.name.length));
  for (const s of result.services)
    lines.push(`service  ${s.name.padEnd(nameWidth)}  ${serviceSummary(s)}  (from ${s.source})`);
  if (result.env)
    lines.push(`env  ${Object.keys(result.env.values).join(', ')}  (from ${result.env.source})`);
  const taskWidth = Math.max(0, ...result.tasks.map((t) => t.name.length));
  for (const t of result.tasks)
    lines.push(
      `task  ${t.name.padEnd(taskWidth)}  ${[t.run].flat().join(' && ')}${t.depends?.length ? ` · after ${t.depends.join(', ')}` : ''}  (from ${t.source})`,
    );
  for (const p of result.declined.runtimes) lines.push(`left out  ${p.runtime} ${p.spec} (${p.source})`);
  for (const s of result.declined.services) lines.push(`left out  service ${s.name} (${s.source})`);
  for (const n of result.notes) lines.push(`note  ${n.file}: ${n.message}`);
  if (result.pinned.length === 0 && result.services.length === 0 && !result.merged)
    lines.push('no version files or services found: pin runtimes with `poly use node@22`');
  const next = result.services.length ? 'poly up' : result.pinned.length ? 'poly install' : '';
  const nothingNew =
    result.merged &&
    result.pinned.length === 0 &&
    result.services.length === 0 &&
    result.tasks.length === 0 &&
    !result.env;
  if (nothingNew) lines.push(`nothing new to add: ${result.file} already has everything found`);
  else if (result.written)
    lines.push(`${result.merged ? 'updated' : 'wrote'} ${result.file}${next ? `; next: ${next}` : ''}`);
  else lines.push(`dry run: ${result.file} was not ${result.merged ? 'changed' : 'written'}`);
  return lines;
}
