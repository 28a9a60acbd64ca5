import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeContext } from '../../../src/core/context.js';
import { PolyError } from '../../../src/core/errors.js';
import { type ScaffoldEvent, scaffoldService } from '../../../src/services/new/scaffold.js';
import { makeProject } from '../../helpers/templates-e2e.js';

const HOST = { os: process.platform, arch: process.arch };

describe('scaffoldService', () => {
  it('reports its steps as typed events, in order', async () => {
    const project = makeProject('[project]\nname = "events"\n\n[runtimes]\ngo = "latest"\n');
    try {
      const events: ScaffoldEvent[] = [];
      const result = await scaffoldService(
        {
          cwd: project.root,
          template: 'go-http',
          name: 'edge',
          install: false,
          ctx: makeContext(project.env, HOST),
        },
        (e) => events.push(e),
      );
      assert.deepEqual(
        events.map((e) => e.type),
        ['note', 'files-written', 'registered'],
      );
      // "stable" cannot be checked against >=1.22 offline: a note, not a refusal, and no new pin.
      assert.match((events[0] as { message: string }).message, /go = "latest"; go-http needs >=1\.22/);
      assert.equal(result.pinned, undefined);
      assert.equal(result.test, 'go test ./...');
    } finally {
      project.cleanup();
    }
  });

  it('takes back the files it wrote when poly.toml changes under it and registration fails', async () => {
    const project = makeProject();
    try {
      const file = join(project.root, 'poly.toml');
      const preexisting = join(project.root, 'services', 'late');
      mkdirSync(preexisting, { recursive: true });
      const attempt = scaffoldService(
        {
          cwd: project.root,
          template: 'go-http',
          name: 'late',
          install: false,
          ctx: makeContext(project.env, HOST),
        },
        (event) => {
          // Someone else registers the same service between the checks and the write.
          if (event.type === 'files-written') appendFileSync(file, '\n[services.late]\nport = 1\n');
        },
      );
      await assert.rejects(attempt, (err: unknown) => err instanceof PolyError);
      assert.ok(existsSync(preexisting), 'the empty folder that was there before stays');
      assert.deepEqual(
        readFileSync(file, 'utf8'),
        '[project]\nname = "e2e"\n\n[services.late]\nport = 1\n',
        "the other writer's poly.toml is kept as it is",
      );
      assert.ok(!existsSync(join(preexisting, 'go.mod')), 'the files poly new wrote are gone');
    } finally {
      project.cleanup();
    }
  });
});
