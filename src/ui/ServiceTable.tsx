import { Box, Text } from 'ink';
import { IMAGE_HEALTHCHECK, type ServiceState, type ServiceStatus } from '../core/supervisor/status.js';
import { formatUptime } from './service-lines.js';

const STATE_COLOR: Record<ServiceState, string> = {
  waiting: 'gray',
  starting: 'yellow',
  healthy: 'green',
  unhealthy: 'red',
  backoff: 'yellow',
  'crash-loop': 'red',
  exited: 'gray',
  failed: 'red',
  stopping: 'yellow',
  stopped: 'gray',
};

const COLUMNS = [
  ['SERVICE', 14],
  ['STATE', 11],
  ['RUNTIME', 14],
  ['URL', 24],
  ['HEALTH', 16],
  ['RESTARTS', 9],
  ['UPTIME', 8],
] as const;

function cell(text: string, width: number): string {
  return text.length >= width ? `${text.slice(0, width - 2)}… ` : text.padEnd(width);
}

/**
 * One row per service: state, runtime@version, URL, health, restarts, uptime;
 * under it the image HEALTHCHECK's status, and what a service that is not healthy is doing.
 */
export function ServiceTable({
  services,
  selected,
  now,
}: {
  services: ServiceStatus[];
  selected: number;
  now: number;
}) {
  // An https name (https://web.shop.localhost:8443) is longer than 127.0.0.1:port: widen, never cut it.
  const urlWidth = Math.max(24, ...services.map((s) => (s.publicUrl?.length ?? 0) + 2));
  return (
    <Box flexDirection="column">
      <Text
        bold
      >{`  ${COLUMNS.map(([name, width]) => cell(name, name === 'URL' ? urlWidth : width)).join('')}`}</Text>
      {services.map((s, i) => {
        const active = s.state === 'healthy' || s.state === 'starting' || s.state === 'unhealthy';
        return (
          <Box key={s.name} flexDirection="column">
            <Text inverse={i === selected}>
              {i === selected ? '› ' : '  '}
              {cell(s.name, 14)}
              <Text color={STATE_COLOR[s.state]}>{cell(s.state, 11)}</Text>
              {cell(s.runtime ?? s.mode, 14)}
              {cell(s.publicUrl ?? s.url ?? s.address ?? '-', urlWidth)}
              {cell(s.check, 16)}
              {cell(String(s.restarts), 9)}
              {cell(active ? formatUptime(s.startedAt, now) : '-', 8)}
            </Text>
            {s.imageHealth ? <Text dimColor>{`    ${IMAGE_HEALTHCHECK}: ${s.imageHealth}`}</Text> : null}
            {s.message && s.state !== 'healthy' ? (
              <Text color={STATE_COLOR[s.state]}>{`    ${s.message}`}</Text>
            ) : null}
            {s.state === 'crash-loop' || s.state === 'failed'
              ? s.lastLines.slice(-3).map((line, n) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the last lines have no identity beyond their position
                  <Text key={n} dimColor wrap="truncate-end">{`      ${line}`}</Text>
                ))
              : null}
          </Box>
        );
      })}
    </Box>
  );
}
