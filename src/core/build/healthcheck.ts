import { composeDuration, containerProbe } from '../export/health.js';
import { type HealthCheck, type HealthTiming, startWindowMs } from '../manifest/types.js';

/**
 * The Dockerfile HEALTHCHECK line for a service's `health`, with export's
 * probe (curl, then wget; nc, then bash's /dev/tcp). A slim Debian image has
 * neither curl nor wget, so an HTTP check also falls back to a request
 * written by bash over /dev/tcp: any 2xx or 3xx status line is healthy.
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
  let command = probe[1];
  if (check.kind === 'http' && port !== undefined)
    command = `${command} || ${bashHttpProbe(port, check.path)}`;
  const flags = [
    `--interval=${composeDuration(timing.interval)}`,
    `--timeout=${composeDuration(timing.timeout)}`,
    `--start-period=${composeDuration(startWindowMs(timing))}`,
    `--retries=${Math.max(1, timing.retries)}`,
  ];
  // A Dockerfile instruction is one line: a newline in a cmd check would end it.
  return `HEALTHCHECK ${flags.join(' ')} CMD ${command.replace(/\s*\n\s*/g, ' ')}`;
}

/** bash -c '<script>' port path: the path is a positional parameter, never pasted into the script. */
function bashHttpProbe(port: number, path: string): string {
  const target = path.startsWith('/') ? path : `/${path}`;
  const script =
    'exec 3<>/dev/tcp/127.0.0.1/$0 && printf "GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n" "$1" >&3 && read -r _ code _ <&3 && case $code in 2??|3??) exit 0;; esac; exit 1';
  return `bash -c ${singleQuote(script)} ${port} ${singleQuote(target)}`;
}

function singleQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}
