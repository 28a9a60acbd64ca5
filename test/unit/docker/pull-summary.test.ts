import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type PullProgress, PullSummary } from '../../../src/core/docker/images.js';

/**
 * A real pull cannot run here (no image registry is reachable), so these
 * events are written the way the engine sends them for `docker pull`: one
 * "Pulling from" event whose id is the tag, then per layer "Pulling fs
 * layer", "Downloading" with byte counts, "Download complete", "Extracting"
 * (with extraction counts, which are not downloads), "Pull complete"; layers
 * already present say "Already exists"; "Digest"/"Status" have no layer.
 */
const image = 'postgres:16';
const event = (layer: string, status: string, current?: number, total?: number): PullProgress => ({
  image,
  layer,
  status,
  ...(current !== undefined ? { current } : {}),
  ...(total !== undefined ? { total } : {}),
});

describe('PullSummary', () => {
  it('says nothing when nothing was pulled, and which image is pulled before any layer is known', () => {
    const summary = new PullSummary(image);
    assert.equal(summary.flush(0), undefined);
    assert.equal(summary.add(event('16', 'Pulling from library/postgres'), 0), 'pulling postgres:16');
  });

  it('counts finished layers and downloaded megabytes over the layers whose size is known', () => {
    const summary = new PullSummary(image, 0);
    const lines = [
      event('16', 'Pulling from library/postgres'),
      event('a', 'Already exists'),
      event('b', 'Pulling fs layer'),
      event('c', 'Pulling fs layer'),
      event('b', 'Downloading', 1_000_000, 4_000_000),
      event('c', 'Downloading', 500_000, 2_000_000),
      event('b', 'Download complete'),
      event('b', 'Extracting', 32_768, 4_000_000),
      event('b', 'Pull complete'),
      event('c', 'Downloading', 2_000_000, 2_000_000),
      event('c', 'Verifying Checksum'),
      event('c', 'Pull complete'),
      event('', 'Digest: sha256:0123'),
      event('', 'Status: Downloaded newer image for postgres:16'),
    ].map((e, i) => summary.add(e, i));
    assert.deepEqual(lines, [
      'pulling postgres:16',
      'pulling postgres:16: 1/1 layers',
      'pulling postgres:16: 1/2 layers',
      'pulling postgres:16: 1/3 layers',
      'pulling postgres:16: 1/3 layers, 1.0/4.0 MB',
      'pulling postgres:16: 1/3 layers, 1.5/6.0 MB',
      'pulling postgres:16: 1/3 layers, 4.5/6.0 MB',
      // Extraction progress is not download progress: the byte count stays.
      'pulling postgres:16: 1/3 layers, 4.5/6.0 MB',
      'pulling postgres:16: 2/3 layers, 4.5/6.0 MB',
      'pulling postgres:16: 2/3 layers, 6.0/6.0 MB',
      'pulling postgres:16: 2/3 layers, 6.0/6.0 MB',
      'pulling postgres:16: 3/3 layers, 6.0/6.0 MB',
      'pulling postgres:16: 3/3 layers, 6.0/6.0 MB',
      'pulling postgres:16: 3/3 layers, 6.0/6.0 MB',
    ]);
  });

  it('gives at most one line per interval, and the last one on flush', () => {
    const summary = new PullSummary(image, 250);
    const shown: Array<[number, string]> = [];
    // Given the engine sends an event every 10 ms for one second
    for (let t = 0; t <= 1000; t += 10) {
      const line = summary.add(event('b', 'Downloading', t * 1000, 1_000_000), t);
      if (line) shown.push([t, line]);
    }
    // Then a line is shown every 250 ms, at most four a second
    assert.deepEqual(
      shown.map(([t]) => t),
      [0, 250, 500, 750, 1000],
    );
    assert.equal(shown[1]?.[1], 'pulling postgres:16: 0/1 layers, 0.3/1.0 MB');
    // And when the last event fell between two lines, flush gives it; once.
    summary.add(event('b', 'Pull complete'), 1010);
    assert.equal(summary.flush(1020), 'pulling postgres:16: 1/1 layers, 1.0/1.0 MB');
    assert.equal(summary.flush(1030), undefined);
  });
});
