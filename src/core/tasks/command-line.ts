/**
 * How a task's command line becomes a process. A line of plain words (quotes
 * and backslashes allowed) is split into an argument array and run directly,
 * with no shell: `cargo test -- --nocapture`. A line that uses the shell's
 * own syntax (pipes, `&&`, redirections, `$VAR`, globs) is what the user wrote
 * for a shell, so it goes to `/bin/sh -c` as one argument, exactly as a
 * service's `run` does. Extra arguments from `poly run test -- -k foo` are
 * never pasted into a script: they are appended to the array, or handed to the
 * shell as positional parameters ("$@").
 */
export interface CommandLine {
  file: string;
  args: string[];
  /** True when it runs through /bin/sh -c. */
  shell: boolean;
}

/** Characters that mean the shell is wanted when they appear outside quotes. */
const SHELL_SYNTAX = new Set([
  '|',
  '&',
  ';',
  '<',
  '>',
  '(',
  ')',
  '$',
  '`',
  '*',
  '?',
  '[',
  '#',
  '~',
  '{',
  '}',
  '\n',
]);

export function commandLine(line: string, extraArgs: readonly string[] = []): CommandLine {
  const words = splitWords(line);
  if (words === undefined || words.length === 0 || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? ''))
    return {
      file: '/bin/sh',
      args: ['-c', extraArgs.length ? `${line} "$@"` : line, 'poly-task', ...extraArgs],
      shell: true,
    };
  const [file, ...args] = words as [string, ...string[]];
  return { file, args: [...args, ...extraArgs], shell: false };
}

/** Words of a line with POSIX quoting, or undefined when it holds shell syntax outside quotes. */
export function splitWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return undefined;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        const d = line[j] as string;
        // Inside double quotes the shell still expands $ and `: leave such a line to it.
        if (d === '$' || d === '`') return undefined;
        if (d === '\\' && j + 1 < line.length && '"\\$`\n'.includes(line[j + 1] as string)) {
          j++;
          word += line[j];
        } else word += d;
      }
      if (j >= line.length) return undefined;
      inWord = true;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return undefined;
      word += line[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (SHELL_SYNTAX.has(c) || (c === '=' && !inWord && words.length === 0)) {
      return undefined;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** How a command is shown in plans and logs. */
export function displayCommand(line: string, extraArgs: readonly string[]): string {
  return extraArgs.length ? `${line} ${extraArgs.map(quoteForDisplay).join(' ')}` : line;
}

function quoteForDisplay(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
