import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_CODES, isErrorCode } from '../../../src/core/error-codes.js';
import { PolyError } from '../../../src/core/errors.js';
import { formatError } from '../../../src/core/format-error.js';

describe('error codes', () => {
  it('are spelled one way: SCREAMING_SNAKE_CASE, each once', () => {
    const misspelled = ERROR_CODES.filter((c) => !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(c));
    assert.deepEqual(misspelled, []);
    assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
  });

  it('are recognised when they come back as text, and only then', () => {
    assert.equal(isErrorCode('SERVICE_NO_RUN'), true);
    assert.equal(isErrorCode('service-no-run'), false);
  });

  it('never reach the rendered message: users read the message and the hint', () => {
    const text = formatError(
      new PolyError('SERVICE_NO_RUN', 'service api has no run command', { hint: 'Add run.' }),
      process.env,
    );
    assert.equal(text, 'error: service api has no run command\nhint: Add run.');
  });
});
