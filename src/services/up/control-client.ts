import { isErrorCode } from '../../core/error-codes.js';
import { PolyError } from '../../core/errors.js';
import { requireManifest } from '../../core/manifest/load.js';
import { type ProjectLayout, projectLayout } from '../../core/store/layout.js';
import { type ControlRequest, type ControlResponse, controlRequest } from '../../core/supervisor/control.js';

/** The project folder layout of the nearest poly.toml. */
export function projectOf(cwd: string): ProjectLayout {
  return projectLayout(requireManifest(cwd).root);
}

/** Sends a request to the project's supervisor; undefined when none runs. Errors it answers are thrown. */
export async function askSupervisor(
  layout: ProjectLayout,
  request: ControlRequest,
  timeoutMs?: number,
): Promise<Extract<ControlResponse, { ok: true }> | undefined> {
  const answer = await controlRequest(layout.socket, request, timeoutMs);
  if (!answer) return undefined;
  if (!answer.ok)
    throw new PolyError(
      isErrorCode(answer.error.code) ? answer.error.code : 'CONTROL_UNKNOWN',
      answer.error.message,
      {
        hint: answer.error.hint,
        ...(answer.error.exitCode !== undefined ? { exitCode: answer.error.exitCode } : {}),
      },
    );
  return answer;
}

export function nothingRunning(layout: ProjectLayout): PolyError {
  return new PolyError('NOT_RUNNING', `no services of ${layout.root} are running`, {
    hint: 'Start them with `poly up` (or `poly up -d` to keep them running in the background).',
  });
}
