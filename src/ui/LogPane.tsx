import { Box, Text } from 'ink';

/** The last `height` lines of the selected service, newest at the bottom. */
export function LogPane({ service, lines, height }: { service: string; lines: string[]; height: number }) {
  const shown = lines.slice(-height);
  return (
    <Box flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
      <Text bold>{`logs: ${service}`}</Text>
      {shown.length === 0 ? <Text dimColor>(no output yet)</Text> : null}
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond their position
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
