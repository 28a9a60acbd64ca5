import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT_USAGE } from '../../../src/core/errors.js';
import { unknownService } from '../../../src/core/manifest/unknown-service.js';

describe('a service name poly.toml lacks', () => {
  it('names the file and the nearest name, and lists the services', () => {
    const err = unknownService('/p/poly.toml', 'apii', ['api', 'db']);
    assert.equal(err.code, 'UNKNOWN_SERVICE');
    assert.equal(err.message, '/p/poly.toml has no service "apii". Did you mean "api"?');
    assert.equal(err.hint, 'Services: api, db.');
    assert.equal(err.exitCode, EXIT_USAGE);
  });

  it('guesses nothing far away, and says when there are none', () => {
    assert.equal(unknownService('poly.toml', 'zzz', ['api']).message, 'poly.toml has no service "zzz".');
    assert.equal(unknownService('poly.toml', 'api', []).hint, 'Services: none.');
  });

  it('guesses and lists only among the services that would do', () => {
    const err = unknownService('poly.toml', 'wbe', ['web', 'worker'], {
      label: 'Services with a port',
      names: ['worker'],
    });
    assert.equal(err.message, 'poly.toml has no service "wbe".');
    assert.equal(err.hint, 'Services with a port: worker.');
  });
});
