import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface RotationOptions {
  /** Rotate once the file reaches this size. Default 10 MB. */
  maxBytes?: number;
  /** Rotated files kept beside the live one (`api.log.1` newest … `api.log.N`). Default 3. */
  keep?: number;
}

export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_LOG_KEEP = 3;

/**
 * An append-only log file rotated by size. Writes are synchronous: a line is
 * on disk before `poly logs` in another terminal can ask for it, and a crash
 * of the supervisor loses nothing already handed over.
 */
export class RotatingLog {
  private fd: number | undefined;
  private size = 0;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(
    readonly file: string,
    options: RotationOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.keep = options.keep ?? DEFAULT_LOG_KEEP;
  }

  write(text: string): void {
    const data = Buffer.from(text);
    if (this.fd === undefined) this.open();
    if (this.size > 0 && this.size + data.length > this.maxBytes) {
      this.rotate();
      this.open();
    }
    writeSync(this.fd as number, data);
    this.size += data.length;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    this.fd = openSync(this.file, 'a');
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    this.close();
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      const from = `${this.file}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.file}.${i + 1}`);
    }
    if (this.keep > 0) renameSync(this.file, `${this.file}.1`);
    else rmSync(this.file, { force: true });
  }
}
