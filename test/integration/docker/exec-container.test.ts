import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { removeProjectResources } from '../../../src/core/docker/cleanup.js';
import { LABEL_PROJECT } from '../../../src/core/docker/labels.js';
import { toolchainMounts } from '../../../src/core/docker/service-container-spec.js';
import { renderContainerEnv } from '../../../src/core/env/service-env/render.js';
import { execInContainer } from '../../../src/services/exec/container.js';
import { testHost } from '../../helpers/context.js';
import { dockerForTests, nodeToolchain, tempProject } from '../../helpers/docker.js';
import { busyboxTestImage } from '../../helpers/docker-images.js';

const { client, skip } = await dockerForTests();

describe('poly exec --container against the real engine', { skip }, () => {
  const dirs = tempProject('exec');
  const project = { name: 'etest', root: dirs.project };

  after(async () => {
    if (client) await removeProjectResources(client, project, { volumes: true });
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it('runs one command in a throwaway container with the project mounted and the environment set', async () => {
    const image = await busyboxTestImage(client);
    const toolchain = nodeToolchain(dirs.home);
    const lines: string[] = [];
    const exit = await execInContainer({
      dockerEnv: process.env,
      host: testHost(),
      project,
      image,
      command: [
        'sh',
        '-c',
        'echo "$GREETING from $(pwd)"; echo "$PATH"; ls "$NODE_DIR/bin"; echo written > out.txt; exit 7',
      ],
      // The container environment, from the one pipeline (as `poly exec --container` renders it).
      env: renderContainerEnv(
        {
          service: '',
          host: process.env,
          toolchain: { pathPrepend: [`${toolchain.dir}/bin`], set: { NODE_DIR: toolchain.dir }, unset: [] },
          written: [{ name: 'GREETING', value: 'hi', source: 'project', template: true }],
          peers: [],
        },
        { mounts: toolchainMounts([toolchain]), projectRoot: dirs.project, ownImage: false },
      ).env,
      toolchains: [toolchain],
      ...(client ? { client } : {}),
      onEvent: (e) => {
        if (e.type === 'output') lines.push(e.line);
      },
    });
    assert.deepEqual(exit, { code: 7, signal: null });
    const containerDir = `/opt/poly/node/${toolchain.version}`;
    assert.equal(lines[0], `hi from ${dirs.project}`);
    assert.ok(lines[1]?.startsWith(`${containerDir}/bin:`), lines[1]);
    assert.equal(lines[2], 'node');
    // The project is mounted read-write at its own path: the file is on the host now.
    assert.equal(readFileSync(join(dirs.project, 'out.txt'), 'utf8'), 'written\n');
    // Throwaway: nothing but the network and cache volume remain.
    const filters = { label: [`${LABEL_PROJECT}=${project.name}`] };
    assert.deepEqual(await client!.api.listContainers({ all: true, filters }), []);
  });

  it('passes stdin through and keeps stdout and stderr apart without a TTY', async () => {
    const io = collectingStdio(false);
    io.stdin.end('one\ntwo\n');
    const exit = await execInContainer({
      dockerEnv: process.env,
      host: testHost(),
      project,
      image: await busyboxTestImage(client),
      command: ['sh', '-c', 'cat; echo oops >&2; exit 4'],
      env: {},
      toolchains: [],
      stdio: io,
      ...(client ? { client } : {}),
    });
    assert.deepEqual(exit, { code: 4, signal: null });
    assert.equal(io.out(), 'one\ntwo\n');
    assert.equal(io.err(), 'oops\n');
  });

  it('gives the command a terminal when asked for one', async () => {
    const io = collectingStdio(true);
    io.stdin.end();
    const exit = await execInContainer({
      dockerEnv: process.env,
      host: testHost(),
      project,
      image: await busyboxTestImage(client),
      command: ['sh', '-c', 'test -t 1 && echo on-a-tty'],
      env: {},
      toolchains: [],
      stdio: io,
      ...(client ? { client } : {}),
    });
    assert.equal(exit.code, 0);
    assert.match(io.out(), /on-a-tty\r?\n/);
  });
});

function collectingStdio(tty: boolean) {
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  const sink = (into: Buffer[]) =>
    new Writable({
      write(chunk, _enc, done) {
        into.push(Buffer.from(chunk));
        done();
      },
    });
  return {
    stdin: new PassThrough(),
    stdout: sink(chunks.out),
    stderr: sink(chunks.err),
    tty,
    out: () => Buffer.concat(chunks.out).toString(),
    err: () => Buffer.concat(chunks.err).toString(),
  };
}
