import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildImage } from '../../../src/core/docker/images.js';
import { dockerForTests, tempProject } from '../../helpers/docker.js';
import { busyboxTestImage } from '../../helpers/docker-images.js';

const { client, skip } = await dockerForTests();

describe('image builds honour .dockerignore, against the real engine', { skip }, () => {
  const dirs = tempProject('dockerignore');
  const tag = `poly-dockerignore-test-${Date.now().toString(36)}:latest`;
  after(async () => {
    await client?.api
      .getImage(tag)
      .remove({ force: true })
      .catch(() => {});
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it('leaves node_modules and .env home, keeps exceptions, always sends the Dockerfile', async () => {
    const base = await busyboxTestImage(client);
    const ctx = join(dirs.project, 'web');
    const file = (path: string, text: string) => {
      mkdirSync(join(ctx, path, '..'), { recursive: true });
      writeFileSync(join(ctx, path), text);
    };
    file('app.js', 'console.log(1)\n');
    file('.env', 'SECRET=hunter2\n');
    file('node_modules/left-pad/index.js', 'module.exports = 1\n');
    file('keep/me.txt', 'kept\n');
    file('keep/drop.txt', 'dropped\n');
    file(
      '.dockerignore',
      '# as docker build reads it\nnode_modules\n.env\nkeep/*\n!keep/me.txt\nDockerfile\n',
    );
    // The build itself checks what arrived: it fails when an ignored file was sent.
    file(
      'Dockerfile',
      [
        `FROM ${base}`,
        'COPY . /ctx',
        'RUN test -f /ctx/app.js && test -f /ctx/keep/me.txt',
        'RUN test ! -e /ctx/.env && test ! -e /ctx/node_modules && test ! -e /ctx/keep/drop.txt',
      ].join('\n'),
    );
    const lines: string[] = [];
    const id = await buildImage(client!, {
      dockerfile: join(ctx, 'Dockerfile'),
      tag,
      onLine: (l) => lines.push(l),
    });
    assert.match(id, /^sha256:/, lines.join('\n'));
  });
});
