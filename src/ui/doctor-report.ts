import type { DoctorReport } from '../services/doctor/doctor.js';

const MARK = { ok: 'ok  ', warn: 'warn', error: 'FAIL' } as const;

/** Plain text for `poly doctor`: one line per finding, its fix indented below. */
export function renderDoctorReport(report: DoctorReport): string {
  const lines: string[] = [];
  if (report.project) lines.push(`project: ${report.project}`);
  for (const f of report.findings) {
    lines.push(`${MARK[f.status]}  ${f.message}`);
    if (f.fix) lines.push(`      fix: ${f.fix}`);
  }
  lines.push(report.ok ? 'No problems that stop poly from working.' : 'Fix the FAIL lines above.');
  return `${lines.join('\n')}\n`;
}
