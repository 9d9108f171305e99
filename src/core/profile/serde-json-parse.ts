// A JSON parser that fails exactly as Rust's serde_json does (`serde_json::from_str::<Value>`),
// so profile JSONL errors read `invalid JSON: expected ident at line 1 column 2` byte for byte
// (ferrum-behaviour §5.7, A.6). Positions count UTF-8 bytes, as serde_json does. It also keeps
// how each top-level number was written (integer or float), which serde's typed decoding uses.

/** How serde_json stored a number: u64, i64 (negative), or f64 (a `.`/exponent, `-0`, or overflow). */
export type SerdeNumberKind = 'u64' | 'i64' | 'f64';

export interface SerdeNumber {
  readonly kind: SerdeNumberKind;
  readonly value: number;
  /** the integer's exact decimal digits (integers beyond 2^53 lose precision as numbers) */
  readonly literal: string;
}

export type SerdeParseResult =
  | { readonly ok: true; readonly value: unknown; readonly topLevelNumbers: ReadonlyMap<string, SerdeNumber> }
  | { readonly ok: false; readonly message: string };

/** serde_json's default nesting limit. */
const RECURSION_LIMIT = 128;

class SerdeSyntaxError extends Error {}

const ERR = {
  eofList: 'EOF while parsing a list',
  eofObject: 'EOF while parsing an object',
  eofString: 'EOF while parsing a string',
  eofValue: 'EOF while parsing a value',
  colon: 'expected `:`',
  listCommaOrEnd: 'expected `,` or `]`',
  objectCommaOrEnd: 'expected `,` or `}`',
  ident: 'expected ident',
  value: 'expected value',
  escape: 'invalid escape',
  number: 'invalid number',
  range: 'number out of range',
  control: 'control character (\\u0000-\\u001F) found while parsing a string',
  keyString: 'key must be a string',
  loneSurrogate: 'lone leading surrogate in hex escape',
  trailingComma: 'trailing comma',
  trailingChars: 'trailing characters',
  hexEnd: 'unexpected end of hex escape',
  recursion: 'recursion limit exceeded',
} as const;

const utf8Decoder = new TextDecoder('utf-8');

class Parser {
  private index = 0;
  private depth = RECURSION_LIMIT;
  readonly topLevelNumbers = new Map<string, SerdeNumber>();

  constructor(private readonly bytes: Uint8Array) {}

  /** serde_json's `position_of_index`: line, and bytes since the line start up to index i. */
  private fail(code: string, i: number): never {
    let line = 1;
    let column = 0;
    for (let k = 0; k < i; k++) {
      if (this.bytes[k] === 0x0a) {
        line++;
        column = 0;
      } else column++;
    }
    throw new SerdeSyntaxError(`${code} at line ${line} column ${column}`);
  }
  /** Error at the current index (after the offending byte was consumed). */
  private error(code: string): never {
    return this.fail(code, this.index);
  }
  /** Error at the peeked byte (serde's `peek_error`: index + 1, clamped to the end). */
  private peekError(code: string): never {
    return this.fail(code, Math.min(this.bytes.length, this.index + 1));
  }
  private peek(): number | undefined {
    return this.bytes[this.index];
  }
  private next(): number | undefined {
    const b = this.bytes[this.index];
    if (b !== undefined) this.index++;
    return b;
  }
  private whitespace(): number | undefined {
    for (;;) {
      const b = this.peek();
      if (b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d) this.index++;
      else return b;
    }
  }

  document(): unknown {
    const value = this.value(true);
    if (this.whitespace() !== undefined) this.peekError(ERR.trailingChars);
    return value;
  }

  private value(topLevel = false): unknown {
    const peek = this.whitespace();
    if (peek === undefined) return this.peekError(ERR.eofValue);
    switch (peek) {
      case 0x6e: // n
        this.index++;
        this.ident('ull');
        return null;
      case 0x74: // t
        this.index++;
        this.ident('rue');
        return true;
      case 0x66: // f
        this.index++;
        this.ident('alse');
        return false;
      case 0x2d: // -
        this.index++;
        return this.number(false).value;
      case 0x22: // "
        this.index++;
        return this.string();
      case 0x5b: // [
        return this.nested(() => this.array());
      case 0x7b: // {
        return this.nested(() => this.object(topLevel));
      default:
        if (peek >= 0x30 && peek <= 0x39) return this.number(true).value;
        return this.peekError(ERR.value);
    }
  }

  private nested<T>(body: () => T): T {
    this.depth--;
    if (this.depth === 0) this.peekError(ERR.recursion);
    this.index++;
    const out = body();
    this.depth++;
    return out;
  }

  private ident(rest: string): void {
    for (let k = 0; k < rest.length; k++) {
      const b = this.next();
      if (b === undefined) this.error(ERR.eofValue);
      if (b !== rest.charCodeAt(k)) this.error(ERR.ident);
    }
  }

  private digit(b: number | undefined): b is number {
    return b !== undefined && b >= 0x30 && b <= 0x39;
  }

  /** A number after its optional `-` (serde's parse_integer / parse_number / decimal / exponent). */
  private number(positive: boolean): SerdeNumber {
    const start = this.index;
    const first = this.next();
    if (first === undefined) this.error(ERR.eofValue);
    if (first === 0x30) {
      if (this.digit(this.peek())) this.peekError(ERR.number);
    } else if (first >= 0x31 && first <= 0x39) {
      while (this.digit(this.peek())) this.index++;
    } else {
      this.error(ERR.number);
    }
    let isFloat = false;
    if (this.peek() === 0x2e) {
      isFloat = true;
      this.index++;
      if (!this.digit(this.peek()))
        this.peek() === undefined ? this.peekError(ERR.eofValue) : this.peekError(ERR.number);
      while (this.digit(this.peek())) this.index++;
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      isFloat = true;
      this.index++;
      if (this.peek() === 0x2b || this.peek() === 0x2d) this.index++;
      const b = this.next();
      if (b === undefined) this.error(ERR.eofValue);
      if (!this.digit(b)) this.error(ERR.number);
      while (this.digit(this.peek())) this.index++;
    }
    const digits = utf8Decoder.decode(this.bytes.subarray(start, this.index));
    const literal = positive ? digits : `-${digits}`;
    const value = Number(literal);
    if (!Number.isFinite(value)) this.error(ERR.range);
    if (isFloat) return { kind: 'f64', value, literal };
    const big = BigInt(literal);
    // u64 / i64 range, else serde falls back to f64; `-0` is f64 in serde_json
    if (positive && big <= 18446744073709551615n) return { kind: 'u64', value, literal };
    if (!positive && big !== 0n && big >= -9223372036854775808n) return { kind: 'i64', value, literal };
    return { kind: 'f64', value: positive ? value : -Math.abs(value), literal };
  }

  private hex4(): number {
    if (this.index + 4 > this.bytes.length) {
      this.index = this.bytes.length;
      this.error(ERR.eofString);
    }
    const text = String.fromCharCode(...this.bytes.subarray(this.index, this.index + 4));
    this.index += 4;
    if (!/^[0-9a-fA-F]{4}$/.test(text)) this.error(ERR.escape);
    return Number.parseInt(text, 16);
  }

  /** A string after its opening quote, with serde_json's validation and escape rules. */
  private string(): string {
    let out = '';
    let runStart = this.index;
    for (;;) {
      const b = this.peek();
      if (b === undefined) this.error(ERR.eofString);
      if (b === 0x22) {
        out += utf8Decoder.decode(this.bytes.subarray(runStart, this.index));
        this.index++;
        return out;
      }
      if (b === 0x5c) {
        out += utf8Decoder.decode(this.bytes.subarray(runStart, this.index));
        this.index++;
        out += this.escape();
        runStart = this.index;
        continue;
      }
      if (b < 0x20) {
        this.index++;
        this.error(ERR.control);
      }
      this.index++;
    }
  }

  private escape(): string {
    const c = this.next();
    if (c === undefined) this.error(ERR.eofString);
    switch (c) {
      case 0x22:
        return '"';
      case 0x5c:
        return '\\';
      case 0x2f:
        return '/';
      case 0x62:
        return '\b';
      case 0x66:
        return '\f';
      case 0x6e:
        return '\n';
      case 0x72:
        return '\r';
      case 0x74:
        return '\t';
      case 0x75: {
        const n1 = this.hex4();
        if (n1 >= 0xdc00 && n1 <= 0xdfff) this.error(ERR.loneSurrogate);
        if (n1 < 0xd800 || n1 > 0xdbff) return String.fromCharCode(n1);
        for (const expected of [0x5c, 0x75]) {
          const b = this.peek();
          if (b === undefined) this.peekError(ERR.eofString);
          this.index++;
          if (b !== expected) this.error(ERR.hexEnd);
        }
        const n2 = this.hex4();
        if (n2 < 0xdc00 || n2 > 0xdfff) this.error(ERR.loneSurrogate);
        return String.fromCharCode(n1, n2);
      }
      default:
        return this.error(ERR.escape);
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    let first = true;
    for (;;) {
      const peek = this.whitespace();
      if (peek === undefined) this.peekError(ERR.eofList);
      if (peek === 0x5d) {
        this.index++;
        return out;
      }
      if (!first) {
        if (peek !== 0x2c) this.peekError(ERR.listCommaOrEnd);
        this.index++;
        const after = this.whitespace();
        if (after === 0x5d) this.peekError(ERR.trailingComma);
        if (after === undefined) this.peekError(ERR.eofValue);
      }
      first = false;
      out.push(this.value());
    }
  }

  private object(topLevel: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let first = true;
    for (;;) {
      let peek = this.whitespace();
      if (peek === 0x7d) {
        this.index++;
        return out;
      }
      if (peek === undefined) this.peekError(ERR.eofObject);
      if (!first) {
        if (peek !== 0x2c) this.peekError(ERR.objectCommaOrEnd);
        this.index++;
        peek = this.whitespace();
      }
      first = false;
      if (peek === 0x7d) this.peekError(ERR.trailingComma);
      if (peek === undefined) this.peekError(ERR.eofValue);
      if (peek !== 0x22) this.peekError(ERR.keyString);
      this.index++;
      const key = this.string();
      const colon = this.whitespace();
      if (colon === undefined) this.peekError(ERR.eofObject);
      if (colon !== 0x3a) this.peekError(ERR.colon);
      this.index++;
      if (topLevel) {
        const p = this.whitespace();
        if (p === 0x2d || this.digit(p)) {
          if (p === 0x2d) this.index++;
          const n = this.number(p !== 0x2d);
          this.topLevelNumbers.set(key, n);
          Object.defineProperty(out, key, {
            value: n.value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
          continue;
        }
        this.topLevelNumbers.delete(key);
      }
      // defineProperty: a key named "__proto__" is data, not the prototype
      Object.defineProperty(out, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
}

/** Parses `text` as serde_json would, returning its exact error message on failure. */
export function parseSerdeJson(text: string): SerdeParseResult {
  const parser = new Parser(new TextEncoder().encode(text));
  try {
    const value = parser.document();
    return { ok: true, value, topLevelNumbers: parser.topLevelNumbers };
  } catch (e) {
    if (e instanceof SerdeSyntaxError) return { ok: false, message: e.message };
    throw e;
  }
}
