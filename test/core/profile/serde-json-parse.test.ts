import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProfileJsonlAll } from '../../../src/core/profile/profile-jsonl.js';
import { parseSerdeJson } from '../../../src/core/profile/serde-json-parse.js';

describe('parseSerdeJson fails exactly as serde_json::from_str::<Value>', () => {
  const cases: Array<[string, string]> = [
    ['not json', 'expected ident at line 1 column 2'],
    ['', 'EOF while parsing a value at line 1 column 0'],
    ['x', 'expected value at line 1 column 1'],
    ['tru', 'EOF while parsing a value at line 1 column 3'],
    ['{', 'EOF while parsing an object at line 1 column 1'],
    ['[', 'EOF while parsing a list at line 1 column 1'],
    ['[1,]', 'trailing comma at line 1 column 4'],
    ['[1,', 'EOF while parsing a value at line 1 column 3'],
    ['[1 2]', 'expected `,` or `]` at line 1 column 4'],
    ['{"a":1,}', 'trailing comma at line 1 column 8'],
    ['{"a" 1}', 'expected `:` at line 1 column 6'],
    ['{"a"', 'EOF while parsing an object at line 1 column 4'],
    ['{1:2}', 'key must be a string at line 1 column 2'],
    ['{"a":1 "b":2}', 'expected `,` or `}` at line 1 column 8'],
    ['{"a":1}x', 'trailing characters at line 1 column 8'],
    ['"abc', 'EOF while parsing a string at line 1 column 4'],
    ['"\\x"', 'invalid escape at line 1 column 3'],
    ['"\\u12"', 'EOF while parsing a string at line 1 column 6'],
    ['"\\uDC00"', 'lone leading surrogate in hex escape at line 1 column 7'],
    ['"a\tb"', 'control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3'],
    ['01', 'invalid number at line 1 column 2'],
    ['-x', 'invalid number at line 1 column 2'],
    ['1.', 'EOF while parsing a value at line 1 column 2'],
    ['1.x', 'invalid number at line 1 column 3'],
    ['1e', 'EOF while parsing a value at line 1 column 2'],
    ['1e400', 'number out of range at line 1 column 5'],
    // columns count UTF-8 bytes: "é" is two
    ['"é" x', 'trailing characters at line 1 column 6'],
  ];
  it.each(cases)('%j → %s', (input, message) => {
    expect(parseSerdeJson(input)).toEqual({ ok: false, message });
  });

  it('stops at the recursion limit of 128', () => {
    expect(parseSerdeJson(`${'['.repeat(127)}${']'.repeat(127)}`).ok).toBe(true);
    expect(parseSerdeJson(`${'['.repeat(128)}${']'.repeat(128)}`)).toEqual({
      ok: false,
      message: 'recursion limit exceeded at line 1 column 128',
    });
  });

  it('parses values like JSON.parse and keeps how top-level numbers were written', () => {
    const text =
      '{"a":[1,{"b":"x\\u00e9\\ud83d\\ude00"}],"u":7,"i":-3,"f":2.0,"z":-0,"big":18446744073709551615,"huge":18446744073709551616}';
    const r = parseSerdeJson(text);
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toEqual(JSON.parse(text));
    expect(Object.fromEntries([...r.topLevelNumbers].map(([k, n]) => [k, n.kind]))).toEqual({
      u: 'u64',
      i: 'i64',
      f: 'f64',
      z: 'f64',
      big: 'u64',
      huge: 'f64',
    });
    expect(r.topLevelNumbers.get('big')?.literal).toBe('18446744073709551615');
  });

  it('keeps a "__proto__" key as data', () => {
    const r = parseSerdeJson('{"__proto__":{"x":1}}');
    if (!r.ok) throw new Error(r.message);
    expect(Object.keys(r.value as object)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
  });
});

describe('parseSerdeJson properties', () => {
  it('agrees with JSON.parse on every valid JSON document', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'small' }), (text) => {
        const r = parseSerdeJson(text);
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toEqual(JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on arbitrary text, and accepts nothing JSON.parse rejects', () => {
    const jsonish = fc.string({
      unit: fc.constantFrom('[', ']', '{', '}', '"', ',', '\\', 'a', '1', '-', '.', 'e', ' ', ':', 'n', 'u'),
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), jsonish), (text) => {
        const r = parseSerdeJson(text);
        if (r.ok) expect(() => JSON.parse(text)).not.toThrow();
        else expect(r.message).toMatch(/ at line \d+ column \d+$/);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('profile JSONL never crashes', () => {
  it('every line of arbitrary text is an event or a line error', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.json()), { maxLength: 8 }), (lines) => {
        const r = parseProfileJsonlAll(lines.join('\n'));
        expect(r.events.length + r.errors.length).toBeLessThanOrEqual(lines.length);
        for (const e of r.errors) expect(e.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 1000 },
    );
  });
});
