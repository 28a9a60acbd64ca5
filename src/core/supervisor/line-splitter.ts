/** Cuts a stream of text chunks into lines; a line longer than `maxLine` is cut there. */
export class LineSplitter {
  private partial = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLine = 16_384,
  ) {}

  push(chunk: string): void {
    let text = this.partial + chunk;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      this.emit(text.slice(0, nl));
      text = text.slice(nl + 1);
      nl = text.indexOf('\n');
    }
    while (text.length > this.maxLine) {
      this.emit(text.slice(0, this.maxLine));
      text = text.slice(this.maxLine);
    }
    this.partial = text;
  }

  /** Emits what is left when the stream ends without a final line break. */
  flush(): void {
    if (this.partial) this.emit(this.partial);
    this.partial = '';
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
