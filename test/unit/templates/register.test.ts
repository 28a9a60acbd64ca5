import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseManifest } from '../../../src/core/manifest/load.js';
import {
  choosePort,
  registerService,
  registrationSource,
  type ServiceEntry,
} from '../../../src/core/templates/register.js';

const SOURCE = [
  '# The shop, by hand',
  '[project]',
  "name = 'shop'   # single quotes stay",
  '',
  '[runtimes]',
  'node = "22"  # LTS',
  '',
  '[services.db]',
  'image = "postgres:16"',
  'port = 5432',
  'env = { POSTGRES_PASSWORD = "dev" }',
  '',
  '[services.web]',
  'path = "web"',
  'run = "npm start"',
  'port = 3000',
  '',
].join('\n');

const entry: ServiceEntry = {
  name: 'orders-api',
  path: 'services/orders-api',
  runtime: 'rust',
  run: 'cargo run',
  port: 3001,
  health: '/health',
};

describe('registrationSource', () => {
  const manifest = parseManifest(SOURCE, '/p/poly.toml');

  it('appends a [services.<name>] section and keeps every other byte', () => {
    // node is pinned already, so nothing but the section changes.
    const out = registrationSource(
      manifest,
      SOURCE,
      { ...entry, runtime: 'node', run: 'npm start' },
      undefined,
    );
    assert.ok(out.startsWith(SOURCE.trimEnd()), 'the original text is untouched');
    assert.equal(
      out.slice(SOURCE.trimEnd().length),
      '\n\n[services.orders-api]\npath = "services/orders-api"\nruntime = "node"\nrun = "npm start"\nport = 3001\nhealth = "/health"\n',
    );
    const parsed = parseManifest(out, '/p/poly.toml');
    assert.equal(parsed.services['orders-api']?.port, 3001);
    assert.deepEqual(parsed.services['orders-api']?.health, { kind: 'http', path: '/health' });
  });

  it('writes health as an inline table when the template needs a start_period', () => {
    const out = registrationSource(manifest, SOURCE, { ...entry, startPeriod: '10m' }, 'stable');
    assert.match(out, /\nport = 3001\nhealth = \{ path = "\/health", start_period = "10m" \}\n$/);
    const parsed = parseManifest(out, '/p/poly.toml').services['orders-api'];
    assert.deepEqual(parsed?.health, { kind: 'http', path: '/health' });
    assert.equal(parsed?.healthTiming.startPeriod, 600_000);
  });

  it('pins the runtime in [runtimes] without disturbing the rest', () => {
    const out = registrationSource(manifest, SOURCE, entry, 'stable');
    assert.match(out, /\[runtimes\]\nnode = "22" {2}# LTS\nrust = "stable"\n/);
    assert.match(out, /name = 'shop' {3}# single quotes stay/);
    assert.equal(parseManifest(out, '/p/poly.toml').runtimes.rust?.spec, 'stable');
  });

  it('creates [runtimes] and keeps CRLF line endings', () => {
    const crlf = '[project]\r\nname = "x"\r\n';
    const out = registrationSource(parseManifest(crlf, '/p/poly.toml'), crlf, entry, '22');
    assert.ok(!/[^\r]\n/.test(out), `only CRLF: ${JSON.stringify(out)}`);
    assert.match(out, /\[services\.orders-api\]\r\npath = "services\/orders-api"\r\n/);
  });

  it('refuses a service name that exists', () => {
    assert.throws(
      () => registrationSource(manifest, SOURCE, { ...entry, name: 'web' }, undefined),
      /already has a service named "web"/,
    );
  });

  it('refuses a manifest the section would break, such as an inline services table', () => {
    const inline = '[project]\nname = "x"\n\nservices = { }\n';
    assert.throws(() => registrationSource(parseManifest(inline, '/p/poly.toml'), inline, entry, undefined));
  });
});

describe('registerService', () => {
  it('writes poly.toml once, validated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'poly-register-'));
    try {
      const file = join(dir, 'poly.toml');
      writeFileSync(file, SOURCE);
      const manifest = parseManifest(SOURCE, file);
      const after = registerService(manifest, entry, 'stable');
      assert.equal(after.services['orders-api']?.run, 'cargo run');
      assert.equal(after.runtimes.rust?.spec, 'stable');
      assert.match(readFileSync(file, 'utf8'), /# The shop, by hand\n[\s\S]*\[services\.orders-api\]\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('choosePort', () => {
  const manifest = parseManifest(SOURCE, '/p/poly.toml');

  it('keeps the wanted port when no service uses it', () => {
    assert.equal(choosePort(manifest, 8080, false), 8080);
  });

  it('moves past ports other services use', () => {
    assert.equal(choosePort(manifest, 3000, false), 3001);
    assert.equal(choosePort(manifest, 5432, false), 5433);
  });

  it('refuses an explicit --port that another service uses', () => {
    assert.throws(() => choosePort(manifest, 3000, true), /port 3000 is already used by service "web"/);
  });
});
