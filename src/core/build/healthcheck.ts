import { composeDuration, containerProbe } from '../export/health.js';
import { type HealthCheck, type HealthTiming, startWindowMs } from '../manifest/types.js';

/**
 * The Dockerfile HEALTHCHECK line for a service's `health`, with export's
 * probe (curl, then wget, then bash's /dev/tcp; nc, then bash's /dev/tcp), so
 * the image and an exported compose file check it the same way.
 * Undefined without a check poly can run in the image. Pure.
 */
export function healthcheckInstruction(
  check: HealthCheck | undefined,
  port: number | undefined,
  timing: HealthTiming,
): string | undefined {
  if (!check) return undefined;
  const probe = containerProbe(check, port);
  if (probe?.[0] !== 'CMD-SHELL' || probe[1] === undefined) return undefined;
  const command = probe[1];
  const flags = [
    `--interval=${composeDuration(timing.interval)}`,
    `--timeout=${composeDuration(timing.timeout)}`,
    `--start-period=${composeDuration(startWindowMs(timing))}`,
    `--retries=${Math.max(1, timing.retries)}`,
  ];
  // A Dockerfile instruction is one line: a newline in a cmd check would end it.
  return `HEALTHCHECK ${flags.join(' ')} CMD ${command.replace(/\s*\n\s*/g, ' ')}`;
}
