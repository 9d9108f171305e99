import { describe, expect, it } from 'vitest';
import { findJsonSyntaxProblem } from '../../../src/core/schema/json-syntax.js';

describe('findJsonSyntaxProblem', () => {
  it.each(['{}', '[]', ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]} \n', '0', '"s"', '[[[]]]'])(
    'accepts %j',
    (text) => {
      expect(findJsonSyntaxProblem(text)).toBeUndefined();
      expect(() => JSON.parse(text)).not.toThrow();
    },
  );

  it.each<[string, boolean, number, number, RegExp]>([
    ['{"a": 1', true, 1, 8, /ends in the middle/],
    ['{"a": "ab', true, 1, 10, /ends in the middle/],
    ['[1, 2,', true, 1, 7, /ends in the middle/],
    ['{"a": tru', true, 1, 10, /ends in the middle/],
    ['{"a": 1.', true, 1, 9, /ends in the middle/],
    ['{\n  "a": 1,\n  "b": x\n}', false, 3, 8, /unexpected 'x', expected a JSON value/],
    ['{"a" 1}', false, 1, 6, /expected ':'/],
    ['{a: 1}', false, 1, 2, /expected a property name in double quotes/],
    ['{"a": 1} {"b": 2}', false, 1, 10, /after the end of the JSON value/],
    ['[1 2]', false, 1, 4, /expected ',' or ']'/],
    ['{"a": 01}', false, 1, 8, /expected ',' or '}'/],
    ['"tab\there"', false, 1, 5, /unescaped control character U\+0009/],
    ['"\\x"', false, 1, 3, /invalid escape/],
    ['{"a": -}', false, 1, 8, /expected a digit/],
    ['nul!', false, 1, 4, /expected null/],
  ])('%j: truncated=%s at %i:%i', (text, truncated, line, column, message) => {
    expect(() => JSON.parse(text)).toThrow();
    const p = findJsonSyntaxProblem(text);
    expect(p).toMatchObject({ truncated, line, column });
    expect(p?.message).toMatch(message);
  });
});
