import { Box, Text } from 'ink';
import { describeRow, type InstallRow } from './install-state.js';

const COLOR: Record<InstallRow['phase'], string | undefined> = {
  resolving: 'gray',
  waiting: 'yellow',
  downloading: 'cyan',
  verifying: 'cyan',
  unpacking: 'cyan',
  installed: 'green',
  present: 'green',
  failed: 'red',
};

/** One progress line per runtime: bytes, speed, verify, unpack, done. */
export function InstallProgress({ rows }: { rows: InstallRow[] }) {
  return (
    <Box flexDirection="column">
      {rows.map((r) => (
        <Text key={r.runtime} color={COLOR[r.phase]}>
          {describeRow(r)}
        </Text>
      ))}
    </Box>
  );
}
