import { writeSync } from 'node:fs';

/**
 * Writes `text` to file descriptor 1 without making `process.stdout`: that getter loads Node's
 * stream modules, which were a tenth of a cold `poly templates` (#16). Where the descriptor would
 * block (a non-blocking pipe someone else set, EAGAIN), the rest goes through the stream after
 * all; a reader that went away (EPIPE, `poly ls | head -1`) ends the output, as for any CLI.
 */
export function writeStdout(text: string): void {
  const bytes = Buffer.from(text);
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(1, bytes, done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        process.stdout.write(bytes.subarray(done));
        return;
      }
      if (code === 'EPIPE') return;
      throw err;
    }
  }
}
