import type { ConfigListResult } from '../services/config/config.js';
import type { ListResult } from '../services/install/toolchains.js';
import type { TemplateSummary } from '../services/new/list-templates.js';
import type { PsResult } from '../services/up/ps.js';
import { formatServiceTable } from './service-lines.js';

/**
 * The text of the listing commands (ls, ps, templates, config list), one
 * string per line. The oclif command and its fast path both print these, so
 * the two cannot drift apart.
 */
export function toolchainLines(result: ListResult): string[] {
  const lines: string[] = [];
  if (result.installed.length === 0) lines.push('No toolchains installed.');
  for (const e of result.installed) lines.push(`${e.used ? '*' : ' '} ${e.runtime.padEnd(7)} ${e.version}`);
  for (const m of result.missing)
    lines.push(`! ${m.runtime.padEnd(7)} ${m.spec} (pinned, not installed: run \`poly install\`)`);
  return lines;
}

export function serviceLines(result: PsResult): string[] {
  const left = result.leftovers;
  if (left) {
    const what = [
      ...(left.containers.length ? [`containers ${left.containers.join(', ')}`] : []),
      ...(left.pids.length ? [`processes ${left.pids.join(', ')}`] : []),
    ];
    return [
      `No supervisor runs, but a killed one left ${what.join(' and ')} running. Stop them with \`poly down\`.`,
    ];
  }
  if (!result.running) return ['No services running. Start them with `poly up -d`.'];
  return [formatServiceTable(result.services)];
}

export function templateLines(templates: TemplateSummary[]): string[] {
  const lines: string[] = [];
  const width = Math.max(...templates.map((t) => t.name.length));
  for (const t of templates) {
    lines.push(`${t.name.padEnd(width)}  ${t.runtime} ${t.versions}  ${t.description}`);
    for (const o of t.options.filter((o) => o.key !== 'name'))
      lines.push(
        `${''.padEnd(width)}    --${o.key === 'port' ? 'port' : `set ${o.key}=`} ${o.description} (default ${o.default})`,
      );
    for (const v of t.with ?? [])
      lines.push(`${''.padEnd(width)}    --with ${v.name}  ${v.description} (adds use = "${v.use}")`);
  }
  return lines;
}

export function settingLines(result: ConfigListResult): string[] {
  const width = Math.max(...result.settings.map((s) => s.key.length));
  return result.settings.map((s) => {
    const origin = s.from === 'env' ? `  (from ${s.envVar})` : '';
    const about = s.value === null ? `  # ${s.description}` : '';
    return `${s.key.padEnd(width)}  ${s.value ?? '(unset)'}${origin}${about}`;
  });
}
