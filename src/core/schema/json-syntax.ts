// Locates the first JSON syntax error in a text (RFC 8259) and tells a truncated document (it ends
// inside a value: an interrupted write) from one that is not JSON at all, with line and column.
// Used only after JSON.parse failed, whose messages carry neither reliably.

export interface JsonSyntaxProblem {
  /** true when the text ended in the middle of a value */
  readonly truncated: boolean;
  /** 1-based line and column (in UTF-16 units) of the problem */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

type Container = 'object' | 'array';

class Truncated extends Error {}
class Unexpected extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * For a message about a file whose JSON.parse failed: `source:line:column is not valid JSON
 * (the file is cut short): why`, or, should the scanner find nothing, the parser's own message.
 */
export function describeJsonSyntaxError(source: string, text: string, parseError: unknown): string {
  const problem = findJsonSyntaxProblem(text);
  if (problem === undefined) {
    return `${source} is not valid JSON: ${parseError instanceof Error ? parseError.message : String(parseError)}`;
  }
  const cut = problem.truncated ? ' (the file is cut short)' : '';
  return `${source}:${problem.line}:${problem.column} is not valid JSON${cut}: ${problem.message}`;
}

/** Returns the first syntax problem of `text`, or undefined when it is one valid JSON value. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    new Scanner(text).document();
    return undefined;
  } catch (e) {
    if (e instanceof Truncated) {
      const { line, column } = lineColumn(text, text.length);
      return { truncated: true, line, column, message: 'the text ends in the middle of a JSON value' };
    }
    if (e instanceof Unexpected) {
      const { line, column } = lineColumn(text, e.offset);
      return { truncated: false, line, column, message: e.message };
    }
    throw e;
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function describe(ch: string | undefined): string {
  if (ch === undefined) return 'the end of the text';
  return /^[\x20-\x7e]$/.test(ch)
    ? `'${ch}'`
    : `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  /** One value, then only whitespace. Iterative so that deeply nested input cannot overflow the stack. */
  document(): void {
    const stack: Container[] = [];
    let needValue = true;
    for (;;) {
      if (needValue) {
        const opened = this.value();
        if (opened !== undefined) {
          this.ws();
          const close = opened === 'object' ? '}' : ']';
          if (this.peek() === close) {
            this.pos++;
          } else {
            stack.push(opened);
            if (opened === 'object') this.key();
            continue;
          }
        }
      }
      this.ws();
      const top = stack.at(-1);
      if (top === undefined) {
        if (this.pos < this.text.length) {
          throw new Unexpected(
            this.pos,
            `unexpected ${describe(this.peek())} after the end of the JSON value`,
          );
        }
        return;
      }
      const ch = this.next(top === 'object' ? "',' or '}'" : "',' or ']'");
      if (ch === ',') {
        if (top === 'object') this.key();
        needValue = true;
      } else if ((top === 'object' && ch === '}') || (top === 'array' && ch === ']')) {
        stack.pop();
        needValue = false;
      } else {
        throw new Unexpected(
          this.pos - 1,
          `unexpected ${describe(ch)}, expected ${top === 'object' ? "',' or '}'" : "',' or ']'"}`,
        );
      }
    }
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private next(expected: string): string {
    const ch = this.text[this.pos];
    if (ch === undefined) throw new Truncated(`expected ${expected}`);
    this.pos++;
    return ch;
  }

  private ws(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  /** `"name" :` inside an object. */
  private key(): void {
    this.ws();
    if (this.peek() !== '"') {
      if (this.peek() === undefined) throw new Truncated('expected a property name');
      throw new Unexpected(
        this.pos,
        `unexpected ${describe(this.peek())}, expected a property name in double quotes`,
      );
    }
    this.string();
    this.ws();
    const ch = this.next("':'");
    if (ch !== ':')
      throw new Unexpected(this.pos - 1, `unexpected ${describe(ch)}, expected ':' after a property name`);
  }

  /** Scans a scalar, or consumes an opening bracket and returns the container it opens. */
  private value(): Container | undefined {
    this.ws();
    const ch = this.peek();
    if (ch === undefined) throw new Truncated('expected a value');
    if (ch === '{' || ch === '[') {
      this.pos++;
      return ch === '{' ? 'object' : 'array';
    }
    if (ch === '"') this.string();
    else if (ch === '-' || (ch >= '0' && ch <= '9')) this.number();
    else if (ch === 't') this.literal('true');
    else if (ch === 'f') this.literal('false');
    else if (ch === 'n') this.literal('null');
    else throw new Unexpected(this.pos, `unexpected ${describe(ch)}, expected a JSON value`);
    return undefined;
  }

  private literal(word: string): void {
    for (let i = 0; i < word.length; i++) {
      const ch = this.text[this.pos + i];
      if (ch === undefined) throw new Truncated(`expected ${word}`);
      if (ch !== word[i]) throw new Unexpected(this.pos + i, `unexpected ${describe(ch)}, expected ${word}`);
    }
    this.pos += word.length;
  }

  private string(): void {
    this.pos++; // opening quote
    for (;;) {
      const ch = this.next('the end of the string');
      if (ch === '"') return;
      if (ch === '\\') {
        const esc = this.next('an escape character');
        if (esc === 'u') {
          for (let i = 0; i < 4; i++) {
            const h = this.next('four hex digits');
            if (!/[0-9a-fA-F]/.test(h))
              throw new Unexpected(this.pos - 1, `unexpected ${describe(h)} in a \\u escape`);
          }
        } else if (!'"\\/bfnrt'.includes(esc)) {
          throw new Unexpected(this.pos - 1, `invalid escape \\${esc} in a string`);
        }
      } else if (ch.charCodeAt(0) < 0x20) {
        throw new Unexpected(this.pos - 1, `unescaped control character ${describe(ch)} in a string`);
      }
    }
  }

  private number(): void {
    if (this.peek() === '-') this.pos++;
    const first = this.next('a digit');
    if (first === '0') {
      // a leading zero stands alone
    } else if (first >= '1' && first <= '9') {
      this.digits();
    } else {
      throw new Unexpected(this.pos - 1, `unexpected ${describe(first)}, expected a digit`);
    }
    if (this.peek() === '.') {
      this.pos++;
      this.requiredDigits();
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.pos++;
      if (this.peek() === '+' || this.peek() === '-') this.pos++;
      this.requiredDigits();
    }
  }

  private digits(): void {
    while (this.pos < this.text.length && this.text[this.pos]! >= '0' && this.text[this.pos]! <= '9')
      this.pos++;
  }

  private requiredDigits(): void {
    const ch = this.next('a digit');
    if (ch < '0' || ch > '9')
      throw new Unexpected(this.pos - 1, `unexpected ${describe(ch)}, expected a digit`);
    this.digits();
  }
}
