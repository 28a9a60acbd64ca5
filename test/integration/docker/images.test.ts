import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { imageExists, type PullProgress, pullImage } from '../../../src/core/docker/images.js';
import { isPolyError } from '../../../src/core/errors.js';
import { dockerForTests } from '../../helpers/docker.js';
import { type LocalRegistry, serveImage } from '../../helpers/local-registry.js';

const { client, skip } = await dockerForTests();

describe('image pulls against the real engine and a registry on 127.0.0.1', { skip }, () => {
  let registry: LocalRegistry;

  before(async () => {
    // A one-layer image with random content, removed locally once the registry holds it,
    // so the pull really downloads a layer the engine has never seen.
    const dir = mkdtempSync(join(tmpdir(), 'poly-pull-src-'));
    writeFileSync(join(dir, 'stamp'), randomBytes(256 * 1024));
    const source = `poly-test/pull-source:${randomBytes(4).toString('hex')}`;
    await execa('tar', ['-C', dir, '-c', '.'], { buffer: false }).pipe('docker', ['import', '-', source]);
    rmSync(dir, { recursive: true, force: true });
    registry = await serveImage(source, 'poly/pulled', '1');
    await client!.api.getImage(source).remove({ force: true });
  });

  after(async () => {
    await client?.api
      .getImage(registry.ref)
      .remove({ force: true })
      .catch(() => {});
    await registry?.close();
  });

  it('pulls an image, reporting each layer’s progress', async () => {
    const events: PullProgress[] = [];
    assert.equal(await imageExists(client!, registry.ref), false);
    const id = await pullImage(client!, registry.ref, (p) => events.push(p));
    assert.match(id, /^sha256:/);
    assert.equal(await imageExists(client!, registry.ref), true);
    const layerEvents = events.filter((e) => e.layer && e.layer !== '1');
    assert.ok(
      layerEvents.some((e) => e.status === 'Pull complete'),
      JSON.stringify(events),
    );
    assert.ok(layerEvents.some((e) => e.status === 'Downloading' && e.total !== undefined));
  });

  it('names the image and the registry’s answer when a tag does not exist', async () => {
    const missing = registry.ref.replace(/:1$/, ':nope');
    await assert.rejects(pullImage(client!, missing), (err) => {
      assert.ok(isPolyError(err));
      assert.equal(err.code, 'DOCKER_IMAGE_PULL');
      assert.ok(err.message.includes(missing), err.message);
      assert.match(err.message, /manifest unknown|not found/i);
      return true;
    });
  });
});
