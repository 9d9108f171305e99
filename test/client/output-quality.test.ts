import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findBadOutput, isQualityTriggerByte, looksLikePanic } from '../../src/client/output-quality.js';

const hasTrigger = (text: string) => Buffer.from(text, 'utf8').some(isQualityTriggerByte);

describe('isQualityTriggerByte', () => {
  it('every marker and panic text holds a trigger byte', () => {
    for (const flagged of [
      '<unk>',
      '[PAD]',
      '<pad>',
      '<|endoftext|>',
      '<|im_start|>',
      '<|im_end|>',
      '<|reserved_special_token_3|>',
      '\uFFFD',
      'Ã©',
      'Â\u00a0',
      'â€™',
      'panicked at',
      "THREAD 'x' PANICKED",
    ]) {
      expect(findBadOutput(flagged) !== undefined || looksLikePanic(flagged)).toBe(true);
      expect(hasTrigger(flagged)).toBe(true);
    }
  });

  it('text without a trigger byte is never flagged by either check', () => {
    // ASCII without < [ k K, plus the letters of every marker, so near-misses are common
    const unit = fc.constantFrom(
      ...'abcdefghijlmnopqrstuvwxyzPADNICE|_ \'"().,:;\n\t0123456789/\\'.split(''),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        expect(hasTrigger(text)).toBe(false);
        expect(findBadOutput(text)).toBeUndefined();
        expect(looksLikePanic(text)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('any text that either check flags holds a trigger byte', () => {
    const unit = fc.oneof(
      fc.constantFrom(
        '<',
        '|',
        'im_end',
        '>',
        '[',
        'PAD',
        'panic',
        'ked',
        'K',
        ' at',
        "thread '",
        'Ã',
        'Â',
        'â€',
        '\uFFFD',
      ),
      fc.string({ unit: 'binary', maxLength: 2 }),
    );
    let flagged = 0;
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        if (findBadOutput(text) === undefined && !looksLikePanic(text)) return;
        flagged++;
        expect(hasTrigger(text)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(flagged).toBeGreaterThan(200);
  });
});
