import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readFlags } from '../../../src/cli/fast/args.js';
import {
  DOWN_FLAGS,
  ENV_FLAGS,
  EXEC_FLAGS,
  type FlagTable,
  INSTALL_FLAGS,
  NO_FLAGS,
  SUPERVISE_FLAGS,
  UP_FLAGS,
} from '../../../src/cli/flag-table.js';
import { parseInstallArgv } from '../../../src/cli/install-fast-path.js';

interface ManifestFlag {
  type: 'boolean' | 'option';
  char?: string;
  options?: string[];
  hidden?: boolean;
}
const manifest = JSON.parse(
  readFileSync(new URL('../../../../oclif.manifest.json', import.meta.url), 'utf8'),
) as {
  commands: Record<string, { flags: Record<string, ManifestFlag> }>;
};

/** Each command that bin/run.cjs serves before oclif, with its table and whether it has --json. */
const FAST_COMMANDS: [string, FlagTable, boolean][] = [
  ['exec', EXEC_FLAGS, false],
  ['env', ENV_FLAGS, true],
  ['install', INSTALL_FLAGS, true],
  ['hook-env', NO_FLAGS, false],
  ['ls', NO_FLAGS, true],
  ['ps', NO_FLAGS, true],
  ['templates', NO_FLAGS, true],
  ['config:list', NO_FLAGS, true],
  ['up', UP_FLAGS, true],
  ['down', DOWN_FLAGS, true],
  ['supervise', SUPERVISE_FLAGS, false],
];

describe('one flag table per fast command', () => {
  for (const [id, table, json] of FAST_COMMANDS) {
    it(`poly ${id.replace(':', ' ')}: oclif's flags are the table's (plus --json and -C)`, () => {
      const flags = manifest.commands[id]?.flags;
      assert.ok(flags, `${id} is in oclif.manifest.json`);
      const { cwd, json: jsonFlag, ...own } = flags;
      assert.equal(cwd?.char, 'C');
      assert.equal(!!jsonFlag, json, `${id} --json`);
      const fromTable = Object.fromEntries(
        Object.entries(table).map(([name, spec]) => [
          name,
          {
            type: spec.type === 'boolean' ? 'boolean' : 'option',
            char: spec.char,
            options: spec.options ? [...spec.options] : undefined,
            hidden: spec.hidden ?? false,
          },
        ]),
      );
      const fromOclif = Object.fromEntries(
        Object.entries(own).map(([name, f]) => [
          name,
          { type: f.type, char: f.char, options: f.options, hidden: f.hidden ?? false },
        ]),
      );
      assert.deepEqual(fromOclif, fromTable);
    });
  }

  it('the fast reader takes long names, short chars and inline values, and steps aside for the rest', () => {
    const env = readFlags(['-s', 'fish', '--json', '-C', '/tmp'], ENV_FLAGS, {
      json: true,
      stopAtPositional: false,
      env: process.env,
    });
    assert.deepEqual([...(env?.values ?? [])], [['shell', 'fish']]);
    assert.deepEqual([...(env?.booleans ?? [])], ['json']);
    assert.equal(env?.cwd, '/tmp');
    assert.equal(
      readFlags(['--shell=zsh'], ENV_FLAGS, { stopAtPositional: false, env: process.env })?.values.get(
        'shell',
      ),
      'zsh',
    );
    // oclif names the choices and the unknown flags: the fast path leaves them to it.
    assert.equal(
      readFlags(['--shell', 'tcsh'], ENV_FLAGS, { stopAtPositional: false, env: process.env }),
      undefined,
    );
    assert.equal(readFlags(['--json'], ENV_FLAGS, { stopAtPositional: false, env: process.env }), undefined);
    assert.equal(
      readFlags(['--shell', 'zsh'], NO_FLAGS, { stopAtPositional: false, env: process.env }),
      undefined,
    );
    const exec = readFlags(['--service', 'api', '--no-install', 'node', '--shim'], EXEC_FLAGS, {
      stopAtPositional: true,
      env: process.env,
    });
    assert.deepEqual(exec?.rest, ['node', '--shim']);
    assert.equal(exec?.values.get('service'), 'api');
    assert.ok(exec?.booleans.has('no-install'));
  });

  it('install: runtime@spec targets beside its flags; anything else goes to oclif', () => {
    assert.deepEqual(parseInstallArgv(['--frozen', '-C', '/p', 'node@22']), {
      cwd: '/p',
      targets: ['node@22'],
      frozen: true,
      offline: false,
      refresh: false,
    });
    assert.equal(parseInstallArgv(['node']), undefined);
    assert.equal(parseInstallArgv(['--yes']), undefined);
  });
});
