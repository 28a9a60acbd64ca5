import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { resolvePortClashes } from '../../../src/core/adopt/port-clashes.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { planInit, selectEverything, writeInit } from '../../../src/services/new/init.js';
import { tempHome } from '../../helpers/poly-cli.js';
import { writeTree } from './repo-tree.js';

const SPRING_POM = `<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>billing</artifactId><version>1</version>
<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent>
<properties><java.version>21</java.version></properties></project>
`;

describe('poly init on a polyglot monorepo', () => {
  const home = tempHome();
  after(home.cleanup);

  it('proposes no service for a pnpm workspace root, and runs its packages with pnpm', async () => {
    const dir = writeTree(join(home.dir, 'pnpm-mono'), {
      'package.json': JSON.stringify({ name: 'mono', private: true, scripts: { dev: 'turbo run dev' } }),
      'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      '.nvmrc': '20\n',
      'apps/web/package.json': JSON.stringify({ name: 'web', scripts: { dev: 'next dev -p 3000' } }),
      'apps/api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node server.js' } }),
    });
    const plan = await planInit(dir);
    const result = writeInit(plan, selectEverything(plan), { dryRun: true });
    assert.deepEqual(
      result.services.map((s) => [s.name, s.path, s.run]),
      [
        ['api', 'apps/api', 'pnpm run start'],
        ['web', 'apps/web', 'pnpm run dev'],
      ],
    );
  });

  it('writes a valid poly.toml when two services listen on the same port, and says which to change', async () => {
    const dir = writeTree(join(home.dir, 'same-port'), {
      'billing/pom.xml': SPRING_POM,
      'billing/src/main/java/x/App.java':
        '@org.springframework.boot.autoconfigure.SpringBootApplication public class App {}\n',
      'gateway/go.mod': 'module example.com/gateway\n\ngo 1.22\n',
      'gateway/main.go':
        'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
    });
    const plan = await planInit(dir);
    const result = writeInit(plan, selectEverything(plan), { dryRun: true });
    const manifest = parseManifest(result.manifest, join(dir, 'poly.toml'));
    assert.equal(manifest.services.billing?.port, 8080);
    assert.equal(manifest.services.gateway?.port, undefined);
    assert.equal(manifest.services.gateway?.health, undefined);
    const said = result.notes.map((n) => `${n.file}: ${n.message}`).join('\n');
    assert.match(
      said,
      /^gateway\/main\.go: gateway: listens on 8080, as billing does, .*make it read \$PORT .*add port = \.\.\. to \[services\.gateway\]$/m,
    );
  });
});

describe('resolvePortClashes', () => {
  it('keeps the first, gives a later $PORT reader port = "auto" with its HTTP check, and counts the ports a poly.toml has', () => {
    const { services, notes } = resolvePortClashes(
      [
        {
          name: 'a',
          source: 'a/main.py',
          run: 'uvicorn app:app --port $PORT',
          port: 8000,
          health: '/health',
        },
        {
          name: 'b',
          source: 'b/main.py',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's ${PORT}, as a command writes it
          run: 'uvicorn app:app --port ${PORT}',
          port: 8000,
          health: '/ready',
        },
        { name: 'c', source: 'c/main.go', run: 'go run .', port: 5432, health: { tcp: 5432 } },
        { name: 'd', source: 'd/main.go', run: 'go run .', port: 9000 },
      ],
      new Map([[5432, 'db']]),
    );
    assert.deepEqual(
      services.map((s) => [s.name, s.port, s.health]),
      [
        ['a', 8000, '/health'],
        ['b', 'auto', '/ready'],
        ['c', undefined, undefined],
        ['d', 9000, undefined],
      ],
    );
    assert.deepEqual(
      notes.map((n) => n.file),
      ['b/main.py', 'c/main.go'],
    );
    assert.match(notes[1]?.message ?? '', /^c: listens on 5432, as db does/);
  });
});
