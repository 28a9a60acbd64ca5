import { readFileSync } from 'node:fs';
import {
  pinLines,
  type RenderExtras,
  type RenderOptions,
  renderServices,
  renderTasks,
} from '../../core/adopt/render-manifest.js';
import type { ProposedPin, ProposedService } from '../../core/adopt/types.js';
import { editManifest, editManifestSource, type ManifestDocument } from '../../core/manifest/edit.js';
import { displayPath, parseManifest } from '../../core/manifest/load.js';

/**
 * `poly init --merge`: the new pins go into [runtimes] through the same
 * format-preserving editor `poly use` uses, the new services are appended as
 * tables; everything already in the file stays byte for byte. The result is
 * validated before anything is written (a failure leaves the file as it was).
 */
export function mergeIntoManifest(
  file: string,
  added: { pins: readonly ProposedPin[]; services: readonly ProposedService[] } & RenderExtras,
  options: RenderOptions,
  dryRun: boolean,
): string {
  const { pins, services } = added;
  const mutate = (doc: ManifestDocument) => {
    if (pins.length) {
      const runtimes = (doc.runtimes ?? {}) as Record<string, unknown>;
      for (const p of pins) runtimes[p.runtime] = p.spec;
      doc.runtimes = runtimes;
    }
    if (added.env && Object.keys(added.env.values).length) {
      const env = (doc.env ?? {}) as Record<string, unknown>;
      Object.assign(env, added.env.values);
      doc.env = env;
    }
  };
  const finish = (text: string) =>
    appendBlocks(
      appendBlocks(commentPins(text, pins), renderServices(services, options)),
      renderTasks(added.tasks ?? []),
    );
  if (!dryRun) {
    editManifest(file, mutate, finish);
    return readFileSync(file, 'utf8');
  }
  const after = finish(editManifestSource(readFileSync(file, 'utf8'), displayPath(file), mutate));
  parseManifest(after, file);
  return after;
}

/** `node = "22"` lines the editor added to [runtimes] get init's `# from <file>` comment. */
function commentPins(text: string, pins: readonly ProposedPin[]): string {
  const commented = new Map(pins.map((p, i) => [p.runtime, pinLines(pins)[i] ?? '']));
  let table = '';
  return text
    .split('\n')
    .map((line) => {
      const header = /^\s*\[([^\]]*)\]/.exec(line);
      if (header) table = (header[1] ?? '').trim();
      const m = /^(\w+) = "[^"]*"(\r?)$/.exec(line);
      if (table !== 'runtimes' || !m?.[1]) return line;
      const withComment = commented.get(m[1] as ProposedPin['runtime']);
      if (!withComment?.startsWith(line.replace(/\r$/, ''))) return line;
      commented.delete(m[1] as ProposedPin['runtime']);
      return `${withComment}${m[2] ?? ''}`;
    })
    .join('\n');
}

/** Tables appended at the end, in the file's own line endings. */
function appendBlocks(text: string, rendered: string): string {
  if (rendered === '') return text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const blocks = rendered.replace(/\n/g, eol);
  const body = text.trimEnd() === '' ? '' : `${text.replace(/(\r?\n)*$/, '')}${eol}${eol}`;
  return `${body}${blocks}`;
}
