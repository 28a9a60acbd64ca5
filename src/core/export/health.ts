import { type HealthCheck, type HealthTiming, startWindowMs } from '../manifest/types.js';

/**
 * The probe command a container runs for a check: compose's and Swarm's
 * healthcheck, and the HEALTHCHECK `poly build` writes into its images.
 * Docker runs it inside the image, so it can only use what the image has:
 * HTTP tries curl, then wget, then a request written by bash over /dev/tcp
 * (a slim Debian, the base of `poly build`'s images, has bash and neither
 * tool); TCP tries nc (tcpReachable) then bash's /dev/tcp; `cmd` runs as
 * written under /bin/sh. Pure.
 */
export function containerProbe(check: HealthCheck, port: number | undefined): string[] | undefined {
  switch (check.kind) {
    case 'http': {
      if (port === undefined) return undefined;
      const url = `http://127.0.0.1:${port}${check.path.startsWith('/') ? '' : '/'}${check.path}`;
      return [
        'CMD-SHELL',
        `curl -fsS -o /dev/null ${shellQuote(url)} || wget -q -O /dev/null ${shellQuote(url)} || ${bashHttpProbe(port, check.path)}`,
      ];
    }
    case 'tcp':
      return [
        'CMD-SHELL',
        `${tcpReachable('127.0.0.1', check.port)} || bash -c 'exec 3<>/dev/tcp/127.0.0.1/${check.port}'`,
      ];
    case 'cmd':
      return ['CMD-SHELL', check.cmd];
  }
}

/**
 * A /bin/sh condition true once host:port accepts a connection, with either
 * netcat: `-z` where it exists (OpenBSD, ncat, full busybox), else busybox's
 * `-e true`, which closes right after connecting (a plain `nc </dev/null`
 * would wait for the server to hang up). Pure.
 */
export function tcpReachable(host: string, port: number): string {
  return `nc -z -w 2 ${host} ${port} 2>/dev/null || nc -w 2 ${host} ${port} -e true 2>/dev/null`;
}

/** 500 -> "500ms", 2000 -> "2s": compose durations. Pure. */
export function composeDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Kubernetes probe periods are whole seconds, at least 1. Pure. */
export function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** The Kubernetes action of a check: httpGet, tcpSocket or exec. Pure. */
export function kubernetesProbeAction(
  check: HealthCheck,
  port: number | undefined,
): Record<string, unknown> | undefined {
  switch (check.kind) {
    case 'http':
      return port === undefined
        ? undefined
        : { httpGet: { path: check.path.startsWith('/') ? check.path : `/${check.path}`, port } };
    case 'tcp':
      return { tcpSocket: { port: check.port } };
    case 'cmd':
      return { exec: { command: ['/bin/sh', '-c', check.cmd] } };
  }
}

/**
 * readiness, liveness and startup probes from one check. The startup probe
 * covers poly's start window (start_period, else interval x retries); after
 * it, liveness fails a pod after `retries` misses, as `poly up` would. Pure.
 */
export function kubernetesProbes(
  check: HealthCheck,
  port: number | undefined,
  timing: HealthTiming,
): Record<string, Record<string, unknown>> {
  const action = kubernetesProbeAction(check, port);
  if (!action) return {};
  const periodSeconds = wholeSeconds(timing.interval);
  const timeoutSeconds = wholeSeconds(timing.timeout);
  const failureThreshold = Math.max(1, timing.retries);
  const startupThreshold = Math.max(1, Math.ceil(startWindowMs(timing) / (periodSeconds * 1000)));
  return {
    startupProbe: { ...action, periodSeconds, timeoutSeconds, failureThreshold: startupThreshold },
    readinessProbe: { ...action, periodSeconds, timeoutSeconds },
    livenessProbe: { ...action, periodSeconds, timeoutSeconds, failureThreshold },
  };
}

/** bash -c '<script>' port path: any 2xx or 3xx status line is healthy; the path is a positional parameter, never pasted into the script. */
function bashHttpProbe(port: number, path: string): string {
  const target = path.startsWith('/') ? path : `/${path}`;
  const script =
    'exec 3<>/dev/tcp/127.0.0.1/$0 && printf "GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n" "$1" >&3 && read -r _ code _ <&3 && case $code in 2??|3??) exit 0;; esac; exit 1';
  return `bash -c ${shellQuote(script)} ${port} ${shellQuote(target)}`;
}

/** A single-quoted /bin/sh word: the path comes from poly.toml, so it is never pasted in bare. Pure. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}
