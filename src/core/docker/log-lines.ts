export type OutputStream = 'stdout' | 'stderr';
export type LineHandler = (line: string, stream: OutputStream) => void;

/** Splits one byte stream into lines, keeping a partial last line until more arrives or it ends. */
class LineBuffer {
  private pending = '';
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly stream: OutputStream,
    private readonly onLine: LineHandler,
  ) {}

  push(bytes: Uint8Array): void {
    this.pending += this.decoder.decode(bytes, { stream: true });
    let nl = this.pending.indexOf('\n');
    while (nl !== -1) {
      this.onLine(this.pending.slice(0, nl).replace(/\r$/, ''), this.stream);
      this.pending = this.pending.slice(nl + 1);
      nl = this.pending.indexOf('\n');
    }
  }

  end(): void {
    this.pending += this.decoder.decode();
    if (this.pending) this.onLine(this.pending, this.stream);
    this.pending = '';
  }
}

/**
 * Demultiplexes the Engine API's attach/logs stream of a container without a
 * TTY: frames of [stream type, 0, 0, 0, size (4 bytes big-endian)] + payload,
 * where type 1 is stdout and 2 is stderr. Frames may be split across chunks
 * at any byte, so a partial header or payload waits for the next chunk.
 */
export class DockerLogDemuxer {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly out: LineBuffer;
  private readonly err: LineBuffer;

  constructor(onLine: LineHandler) {
    this.out = new LineBuffer('stdout', onLine);
    this.err = new LineBuffer('stderr', onLine);
  }

  push(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (this.buffered.length >= 8) {
      const type = this.buffered[0];
      const size = this.buffered.readUInt32BE(4);
      if (this.buffered.length < 8 + size) break;
      const payload = this.buffered.subarray(8, 8 + size);
      (type === 2 ? this.err : this.out).push(payload);
      this.buffered = this.buffered.subarray(8 + size);
    }
  }

  end(): void {
    this.out.end();
    this.err.end();
  }
}
