import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerLogDemuxer, type OutputStream } from '../../../src/core/docker/log-lines.js';

function frame(type: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('DockerLogDemuxer', () => {
  it('splits frames into lines per stream, across arbitrary chunk boundaries', () => {
    const lines: [string, OutputStream][] = [];
    const demux = new DockerLogDemuxer((line, stream) => lines.push([line, stream]));
    const all = Buffer.concat([
      frame(1, 'hel'),
      frame(2, 'oops\n'),
      frame(1, 'lo\nwor'),
      frame(1, 'ld\r\ntail'),
    ]);
    // Feed one byte at a time: headers and multi-byte payloads arrive split.
    for (let i = 0; i < all.length; i++) demux.push(all.subarray(i, i + 1));
    demux.end();
    assert.deepEqual(lines, [
      ['oops', 'stderr'],
      ['hello', 'stdout'],
      ['world', 'stdout'],
      ['tail', 'stdout'],
    ]);
  });
  it('keeps multi-byte characters split across frames whole', () => {
    const lines: string[] = [];
    const demux = new DockerLogDemuxer((line) => lines.push(line));
    const euro = Buffer.from('€\n');
    const h = (b: Buffer) => Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, b.length]), b]);
    demux.push(Buffer.concat([h(euro.subarray(0, 1)), h(euro.subarray(1))]));
    assert.deepEqual(lines, ['€']);
  });
});
