import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inCI, interactiveTerminal } from '../../../src/ui/terminal.js';

describe('interactiveTerminal', () => {
  const tty = { isTTY: true };
  it('is true only when every stream is a TTY and this is not CI', () => {
    assert.equal(interactiveTerminal([tty, tty], {}), true);
    assert.equal(interactiveTerminal([tty, {}], {}), false);
    assert.equal(interactiveTerminal([tty], { CI: 'true' }), false);
  });
  it('reads CI the way Ink does', () => {
    assert.equal(inCI({ CI: '' }), true);
    assert.equal(inCI({ CI: '1' }), true);
    assert.equal(inCI({ CI_JOB_ID: '7' }), true);
    assert.equal(inCI({ CONTINUOUS_INTEGRATION: 'yes' }), true);
    assert.equal(inCI({ CI: 'false' }), false);
    assert.equal(inCI({ CI: '0' }), false);
    assert.equal(inCI({ HOME: '/root' }), false);
  });
});
