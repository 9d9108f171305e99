// Splits text that arrives in chunks (a file read as a stream) into numbered lines, so JSONL
// readers work on files of any size and can name the line of every problem. "\n" and "\r\n" end a
// line; a final line without a newline counts; a UTF-8 BOM at the very start is dropped.

export type LineSink = (line: string, lineNumber: number) => void;

export class LineSplitter {
  private carry = '';
  private lineNumber = 0;
  private started = false;

  constructor(private readonly sink: LineSink) {}

  push(chunk: string): void {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      let line = this.carry + text.slice(start, nl);
      this.carry = '';
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.sink(line, ++this.lineNumber);
      start = nl + 1;
    }
    this.carry += text.slice(start);
  }

  /** Emits the last line if the text did not end with a newline. */
  end(): void {
    if (this.carry.length > 0) {
      const line = this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry;
      this.carry = '';
      this.sink(line, ++this.lineNumber);
    }
  }

  /** Lines emitted so far. */
  get lines(): number {
    return this.lineNumber;
  }
}
