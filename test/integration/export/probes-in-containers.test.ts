import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { containerProbe, tcpReachable } from '../../../src/core/export/health.js';
import { dockerForTests } from '../../helpers/docker.js';
import {
  BUSYBOX_TEST_IMAGE,
  busyboxTestImage,
  DEBIAN_TEST_IMAGE,
  debianTestImage,
} from '../../helpers/docker-images.js';

/**
 * The healthchecks `poly export compose` writes run inside the service's
 * image, so they are checked here the way Docker runs them (`/bin/sh -c`)
 * in real containers: busybox (wget, an nc without -z, no bash) and Debian
 * minbase (bash, no nc, no curl or wget; the base of `poly build`'s images). The listeners are busybox's
 * httpd and an nc (-ll: one child per connection) that holds each connection open
 * for 30 s, as a database would.
 */
const { client, skip } = await dockerForTests();

describe('exported probes in real containers', { skip }, () => {
  const server = `poly-export-probes-${randomBytes(4).toString('hex')}`;
  const sh = async (image: string, cmd: string) =>
    (
      await execa(
        'docker',
        ['run', '--rm', '--network', `container:${server}`, image, '/bin/sh', '-c', cmd],
        { reject: false },
      )
    ).exitCode;
  const probe = (check: Parameters<typeof containerProbe>[0], port?: number) =>
    containerProbe(check, port)![1]!;

  before(async () => {
    await busyboxTestImage(client);
    await debianTestImage(client);
    const script =
      'mkdir -p /www && echo ok > /www/health && httpd -p 8080 -h /www && exec nc -ll -p 9000 -e sleep 30';
    await execa('docker', ['run', '-d', '--name', server, BUSYBOX_TEST_IMAGE, 'sh', '-c', script]);
    // Ready when httpd answers: the same probe under test would be circular, so wget directly.
    for (let i = 0; i < 50; i++) {
      if (
        (await sh(
          BUSYBOX_TEST_IMAGE,
          'wget -q -O /dev/null http://127.0.0.1:8080/health && nc -w 1 127.0.0.1 9000 -e true',
        )) === 0
      )
        break;
    }
  });
  after(async () => {
    await execa('docker', ['rm', '-f', server], { reject: false });
  });

  it('HTTP: healthy on 200 and unhealthy on 404, with busybox wget and, without curl or wget, bash', async () => {
    // Debian minbase is the base of `poly build`'s images: its compose healthcheck must pass there.
    for (const image of [BUSYBOX_TEST_IMAGE, DEBIAN_TEST_IMAGE]) {
      assert.equal(await sh(image, probe({ kind: 'http', path: '/health' }, 8080)), 0, `${image}: 200`);
      assert.notEqual(await sh(image, probe({ kind: 'http', path: '/missing' }, 8080)), 0, `${image}: 404`);
      assert.notEqual(await sh(image, probe({ kind: 'http', path: '/health' }, 8081)), 0, `${image}: closed`);
    }
  });

  it('TCP: busybox nc without -z, and bash /dev/tcp where there is no nc; a closed port fails both', async () => {
    for (const image of [BUSYBOX_TEST_IMAGE, DEBIAN_TEST_IMAGE]) {
      assert.equal(await sh(image, probe({ kind: 'tcp', port: 9000 })), 0, `${image}: open port`);
      assert.notEqual(await sh(image, probe({ kind: 'tcp', port: 9001 })), 0, `${image}: closed port`);
    }
  });

  it("the init containers' wait condition returns at once on a connection the server keeps open", async () => {
    assert.equal(await sh(BUSYBOX_TEST_IMAGE, `timeout 5 sh -c '${tcpReachable('127.0.0.1', 9000)}'`), 0);
    assert.notEqual(await sh(BUSYBOX_TEST_IMAGE, tcpReachable('127.0.0.1', 9001)), 0);
  });
});
