// Splits a top-level JSON array that arrives in chunks into the source text of each element, with
// the element's index and starting line, so a ShareGPT `.json` file of any size (the standard one
// is larger than V8's longest string) is read one conversation at a time. Only the array's own
// structure is checked here; each element is JSON.parse'd by the caller.

import { GoodputError } from '../errors.js';

export interface ArrayElement {
  text: string;
  /** 0-based position in the array */
  index: number;
  /** 1-based line where the element starts */
  line: number;
}

type State = 'start' | 'between' | 'element' | 'done';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;
}

export class JsonArraySplitter {
  private state: State = 'start';
  private line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private expectComma = false;
  private index = 0;
  private parts: string[] = [];
  private elementLine = 1;
  private elementIsContainer = false;

  constructor(
    private readonly fileName: string,
    private readonly sink: (element: ArrayElement) => void,
  ) {}

  private fail(message: string, code: 'INPUT_NOT_JSON' | 'INPUT_TRUNCATED' = 'INPUT_NOT_JSON'): never {
    throw new GoodputError(code, `${this.fileName}:${this.line}: ${message}`, {
      hint: 'a ShareGPT file is a JSON array of conversations, or JSONL with one conversation per line',
    });
  }

  private emit(text: string): void {
    this.sink({ text, index: this.index++, line: this.elementLine });
    this.expectComma = true;
    this.state = 'between';
  }

  push(chunk: string): void {
    let elementStart = this.state === 'element' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      switch (this.state) {
        case 'start':
          if (c === NEWLINE) this.line++;
          if (isSpace(c)) continue;
          if (c !== OPEN_BRACKET)
            this.fail(`expected "[" to open the array, found ${JSON.stringify(chunk[i])}`);
          this.state = 'between';
          continue;
        case 'done':
          if (c === NEWLINE) this.line++;
          if (!isSpace(c)) this.fail(`unexpected ${JSON.stringify(chunk[i])} after the end of the array`);
          continue;
        case 'between':
          if (c === NEWLINE) this.line++;
          if (isSpace(c)) continue;
          if (c === CLOSE_BRACKET) {
            this.state = 'done';
            continue;
          }
          if (c === COMMA) {
            if (!this.expectComma) this.fail(`unexpected "," in the array (entry ${this.index})`);
            this.expectComma = false;
            continue;
          }
          if (this.expectComma) this.fail(`expected "," or "]" after entry ${this.index - 1}`);
          this.state = 'element';
          this.elementLine = this.line;
          this.elementIsContainer = c === OPEN_BRACE || c === OPEN_BRACKET;
          this.depth = 0;
          this.parts = [];
          elementStart = i;
          i--; // scan this character as part of the element
          continue;
        case 'element': {
          if (c === NEWLINE) this.line++;
          if (this.inString) {
            if (this.escaped) this.escaped = false;
            else if (c === BACKSLASH) this.escaped = true;
            else if (c === QUOTE) this.inString = false;
            continue;
          }
          if (c === QUOTE) {
            this.inString = true;
            continue;
          }
          if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.depth++;
            continue;
          }
          if (this.elementIsContainer) {
            if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
              this.depth--;
              if (this.depth === 0) {
                this.parts.push(chunk.slice(elementStart, i + 1));
                elementStart = -1;
                this.emit(this.parts.join(''));
              }
            }
            continue;
          }
          // A scalar element ends at the next separator at depth 0.
          if (this.depth === 0 && (c === COMMA || c === CLOSE_BRACKET || isSpace(c))) {
            this.parts.push(chunk.slice(elementStart, i));
            elementStart = -1;
            if (c === NEWLINE) this.line--; // rescanned in 'between'
            this.emit(this.parts.join(''));
            i--;
            continue;
          }
          if (c === CLOSE_BRACE || c === CLOSE_BRACKET) this.depth--;
          continue;
        }
      }
    }
    if (this.state === 'element' && elementStart >= 0) this.parts.push(chunk.slice(elementStart));
  }

  /** Checks that the array was closed. */
  end(): void {
    if (this.state === 'start') this.fail('the file holds no JSON array', 'INPUT_NOT_JSON');
    if (this.state === 'element') {
      this.fail(
        `the file ends inside entry ${this.index} (which starts on line ${this.elementLine})`,
        'INPUT_TRUNCATED',
      );
    }
    if (this.state === 'between')
      this.fail('the file ends before the array is closed with "]"', 'INPUT_TRUNCATED');
  }
}
