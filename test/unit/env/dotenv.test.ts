import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { envFileDefinitions, parseDotenv } from '../../../src/core/env/dotenv.js';
import { resolveDefinitions } from '../../../src/core/env/service-env/resolve.js';
import { isPolyError } from '../../../src/core/errors.js';
import { formatError } from '../../../src/core/format-error.js';

describe('dotenv as docker compose reads it', () => {
  it('reads plain, exported, quoted and commented lines', () => {
    const entries = parseDotenv(
      [
        '# a comment',
        'PLAIN=hello world  # trailing comment',
        'export EXPORTED=yes',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
        "SINGLE='no ${EXPANSION} # here'",
        'DOUBLE="tab\\tnew\\nline \\"q\\" \\$HOME"',
        'HASH=a#b',
        'EMPTY=',
        '',
        'MULTI="first',
        'second"',
        'AFTER=1',
      ].join('\n'),
    );
    const by = Object.fromEntries(entries.map((e) => [e.name, e]));
    assert.equal(by.PLAIN?.value, 'hello world');
    assert.equal(by.EXPORTED?.value, 'yes');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
    assert.equal(by.SINGLE?.value, 'no ${EXPANSION} # here');
    assert.equal(by.SINGLE?.literal, true);
    assert.equal(by.DOUBLE?.value, 'tab\tnew\nline "q" $$HOME');
    assert.equal(by.HASH?.value, 'a#b');
    assert.equal(by.EMPTY?.value, '');
    assert.equal(by.MULTI?.value, 'first\nsecond');
    assert.equal(by.AFTER?.line, 11);
  });

  it('says where a line is wrong', () => {
    assert.throws(() => parseDotenv('GOOD=1\nnot a line\n'), /^Error: 2:5: expected "=" after not/);
    assert.throws(() => parseDotenv('=nothing\n'), /^Error: 1:1: expected KEY=value/);
    assert.throws(() => parseDotenv('A="open\n'), /^Error: 1:3: the closing " is missing/);
  });

  it('reads files in order, later ones winning, and skips a missing optional one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'poly-dotenv-'));
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
      writeFileSync(join(dir, '.env'), 'A=base\nB=${A}-b\n');
      writeFileSync(join(dir, '.env.dev'), 'A=dev\n');
      const defs = envFileDefinitions(
        [
          { path: join(dir, '.env'), written: '.env', required: true },
          { path: join(dir, '.env.dev'), written: '.env.dev', required: true },
          { path: join(dir, '.env.local'), written: '.env.local', required: false },
        ],
        {},
        '[project]',
      );
      const { env } = resolveDefinitions(defs);
      assert.deepEqual(env, { A: 'dev', B: 'dev-b' });
      assert.throws(
        () =>
          envFileDefinitions([{ path: join(dir, 'nope'), written: 'nope', required: true }], {}, '[project]'),
        (err: unknown) =>
          isPolyError(err) &&
          formatError(err, {}) ===
            'error: [project] env_file "nope": no such file\n' +
              'hint: Create nope, or write env_file = { path = "nope", required = false }.',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file, line and column of an unknown variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'poly-dotenv-'));
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
      writeFileSync(join(dir, '.env'), '# db\nDB_URL=postgres://${DB_HOST}/x\n');
      const defs = envFileDefinitions(
        [{ path: join(dir, '.env'), written: '.env', required: true }],
        {},
        '[project]',
      );
      assert.throws(
        () => resolveDefinitions(defs),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: docker compose's ${NAME} syntax, written literally
        (err: unknown) => isPolyError(err) && err.message === '.env:2:19: .env DB_URL: ${DB_HOST} is not set',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
