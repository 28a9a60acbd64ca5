import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderManifest, toml } from '../../../src/core/adopt/render-manifest.js';
import { dropImportComments, editManifestSource } from '../../../src/core/manifest/edit.js';
import { parseManifest } from '../../../src/core/manifest/load.js';

describe('the poly.toml init writes', () => {
  const pins = [
    { runtime: 'node' as const, spec: '22', source: 'web/.nvmrc' },
    { runtime: 'go' as const, spec: '1.23', source: 'gateway/go.mod', written: 'go 1.23' },
  ];
  const services = [
    {
      name: 'web',
      source: 'web/package.json',
      path: 'web',
      runtime: 'node' as const,
      run: 'npm run dev',
      port: 5173,
    },
    {
      name: 'db',
      source: 'compose.yaml:3',
      image: 'postgres:16',
      port: 5432,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose/shell ${VAR} syntax, kept as written
      env: { QUOTED: 'a "b"\n${X}' },
    },
  ];

  it('validates, says where each entry came from, and quotes what needs quoting', () => {
    const text = renderManifest('shop', pins, services, { envFile: () => false });
    const m = parseManifest(text, '/tmp/shop/poly.toml');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: compose/shell ${VAR} syntax, kept as written
    assert.equal(m.services.db?.env.QUOTED, 'a "b"\n${X}');
    assert.match(text, /^node = "22" +# from web\/\.nvmrc$/m);
    assert.match(text, /^go = "1\.23" +# from gateway\/go\.mod \(go 1\.23\)$/m);
    assert.match(text, /^\[services\.web\] +# from web\/package\.json$/m);
    assert.equal(
      toml({ a: 1, 'b.c': ['x', { path: 'y', required: false }] }),
      '{ a = 1, "b.c" = ["x", { path = "y", required = false }] }',
    );
  });

  it('poly use adds a pin inside [runtimes], above the services, and drops a monorepo comment it made false', () => {
    const text = renderManifest('shop', pins, services, { envFile: () => false });
    const edited = editManifestSource(text, '/tmp/shop/poly.toml', (doc) => {
      const runtimes = doc.runtimes as Record<string, unknown>;
      runtimes.node = '20';
      runtimes.python = '3.12';
    });
    const m = parseManifest(edited, '/tmp/shop/poly.toml');
    assert.equal(m.runtimes.python?.spec, '3.12');
    assert.ok(edited.indexOf('python = "3.12"') < edited.indexOf('[services.web]'), edited);
    const dropped = dropImportComments(edited, ['node'], ['.nvmrc', 'go.mod']);
    assert.match(dropped, /^node = "20"$/m);
    assert.match(dropped, /^go = "1\.23" +# from gateway\/go\.mod/m);
  });
});
