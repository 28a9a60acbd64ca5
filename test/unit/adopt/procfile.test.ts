import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { planAdoption } from '../../../src/core/adopt/plan.js';
import { parseProcfile } from '../../../src/core/adopt/procfile.js';
import { PolyError } from '../../../src/core/errors.js';
import { planInit } from '../../../src/services/new/init.js';
import { tempHome } from '../../helpers/poly-cli.js';
import { writeTree } from './repo-tree.js';

describe('Procfile import', () => {
  const home = tempHome();
  after(home.cleanup);

  it('makes each line a service, $PORT kept, with port auto for the lines that use it', () => {
    const { services, notes } = parseProcfile(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose/shell ${VAR} syntax, kept as written
      '# processes\nweb: gunicorn app:app --bind 127.0.0.1:$PORT\nworker: celery -A tasks worker\n\nclock: node clock.js --port ${PORT}\n',
    );
    assert.deepEqual(services, [
      {
        name: 'web',
        source: 'Procfile:2',
        run: 'gunicorn app:app --bind 127.0.0.1:$PORT',
        runtime: 'python',
        port: 'auto',
      },
      { name: 'worker', source: 'Procfile:3', run: 'celery -A tasks worker', runtime: 'python' },
      {
        name: 'clock',
        source: 'Procfile:5',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: compose/shell ${VAR} syntax, kept as written
        run: 'node clock.js --port ${PORT}',
        runtime: 'node',
        port: 'auto',
      },
    ]);
    assert.deepEqual(notes, []);
  });

  it('gives web a port even when its command does not name $PORT, as Heroku and foreman do, and says so', () => {
    const { services, notes } = parseProcfile('web: npm start\nworker: node worker.js\n');
    assert.deepEqual(
      services.map((s) => [s.name, s.port]),
      [
        ['web', 'auto'],
        ['worker', undefined],
      ],
    );
    assert.equal(notes.length, 1);
    assert.equal(notes[0]?.file, 'Procfile:1');
    assert.match(
      notes[0]?.message ?? '',
      /^web: Heroku and foreman give the web process \$PORT, so poly does too/,
    );
  });

  it("takes over from the top folder's own service", async () => {
    const dir = writeTree(join(home.dir, 'heroku'), {
      Procfile: 'web: npm start\n',
      'package.json': JSON.stringify({ scripts: { start: 'node server.js' } }),
      '.nvmrc': '22\n',
    });
    const a = await planAdoption(dir, 'heroku');
    assert.deepEqual(
      a.services.map((s) => [s.name, s.run, s.source]),
      [['web', 'npm start', 'Procfile:1']],
    );
  });

  it('refuses a line without a command, naming the file and line', async () => {
    assert.throws(
      () => parseProcfile('web: npm start\nworker:\n'),
      (err: unknown) =>
        err instanceof PolyError && err.message === 'Procfile:2: process type "worker" has no command',
    );
    const dir = writeTree(join(home.dir, 'broken'), { Procfile: 'web: npm start\nnot a process line\n' });
    await assert.rejects(
      () => planInit(dir),
      (err: unknown) =>
        err instanceof PolyError &&
        /^Procfile:2: "not a process line" is not "name: command"$/.test(err.message),
    );
  });

  it('refuses a package.json that is not JSON, at its line and column', async () => {
    const dir = writeTree(join(home.dir, 'bad-json'), {
      'web/package.json': '{\n  "scripts": {\n    "dev": "next dev",\n  }\n}\n',
    });
    await assert.rejects(
      () => planInit(dir),
      (err: unknown) =>
        err instanceof PolyError && /^web\/package\.json:4:3: not valid JSON/.test(err.message),
    );
  });
});
