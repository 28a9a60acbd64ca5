import { Box, Text } from 'ink';
import { formatDuration, statusText } from './task-plain.js';
import type { TaskRow } from './task-state.js';

const MARK: Record<string, { mark: string; color: string }> = {
  pending: { mark: '·', color: 'gray' },
  running: { mark: '▶', color: 'cyan' },
  passed: { mark: '✓', color: 'green' },
  'up-to-date': { mark: '✓', color: 'gray' },
  failed: { mark: '✗', color: 'red' },
  skipped: { mark: '-', color: 'yellow' },
  cancelled: { mark: '-', color: 'yellow' },
};

/** `poly run` in a terminal: one line per task; a running one shows its latest output line. */
export function TaskView({ rows, now, width }: { rows: TaskRow[]; now: number; width: number }) {
  const idWidth = Math.max(0, ...rows.map((r) => r.id.length));
  return (
    <Box flexDirection="column">
      {rows.map((row) => {
        const { mark, color } = MARK[row.status] ?? { mark: ' ', color: 'white' };
        const took =
          row.status === 'running' && row.startedAt !== undefined
            ? formatDuration(now - row.startedAt)
            : row.durationMs !== undefined && (row.status === 'passed' || row.status === 'failed')
              ? formatDuration(row.durationMs)
              : '';
        const detail =
          row.status === 'running'
            ? row.lastLine
            : row.status === 'pending'
              ? 'waiting'
              : statusText({
                  id: row.id,
                  status: row.status,
                  durationMs: 0,
                  ...(row.reason ? { reason: row.reason } : {}),
                });
        const room = Math.max(10, width - idWidth - 12);
        return (
          <Text key={row.id} wrap="truncate">
            <Text color={color}>{mark}</Text> {row.id.padEnd(idWidth)}{' '}
            <Text dimColor>{took.padStart(6)}</Text>{' '}
            <Text dimColor={row.status === 'running'}>{detail.slice(0, room)}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
