import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandLine, splitWords } from '../../../src/core/tasks/command-line.js';

describe('a task command line', () => {
  it('of plain words runs without a shell, extra arguments appended as they are', () => {
    assert.deepEqual(commandLine(`cargo test -- --nocapture`, ['a b', '$HOME']), {
      file: 'cargo',
      args: ['test', '--', '--nocapture', 'a b', '$HOME'],
      shell: false,
    });
    assert.deepEqual(splitWords(`sh -c 'echo "$1"; exit 3' x "two words" esc\\ aped`), [
      'sh',
      '-c',
      'echo "$1"; exit 3',
      'x',
      'two words',
      'esc aped',
    ]);
  });

  it('with shell syntax goes to /bin/sh -c whole, extra arguments as "$@" and never in the script', () => {
    for (const line of [
      'npm test && npm run lint',
      'ls *.txt',
      'echo $PORT',
      'echo "$PORT"',
      'a | b',
      'X=1 make',
      'cd web; make',
    ])
      assert.equal(commandLine(line).shell, true, line);
    assert.deepEqual(commandLine('pytest -q | tee log', ['-k', '; rm -rf /']), {
      file: '/bin/sh',
      args: ['-c', 'pytest -q | tee log "$@"', 'poly-task', '-k', '; rm -rf /'],
      shell: true,
    });
    assert.deepEqual(commandLine('make && echo ok').args, ['-c', 'make && echo ok', 'poly-task']);
  });

  it('an unclosed quote is left to the shell, which reports it', () => {
    assert.equal(splitWords(`echo 'oops`), undefined);
    assert.equal(commandLine(`echo 'oops`).file, '/bin/sh');
  });
});
