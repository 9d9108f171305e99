import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/render/escape-html.js';

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['a & b', 'a &amp; b'],
    ['"quoted" \'single\'', '&quot;quoted&quot; &#39;single&#39;'],
    ['&amp; stays visible as text', '&amp;amp; stays visible as text'],
    ['plain Qwen/Qwen3-8B#vllm · c=4', 'plain Qwen/Qwen3-8B#vllm · c=4'],
    ['', ''],
  ])('escapes %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('converts non-strings before escaping', () => {
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml(null)).toBe('null');
  });

  it('leaves no character that could open a tag or close an attribute', () => {
    const hostile = `"><img src=x onerror=alert(1)>'</textarea></script><!--`;
    expect(escapeHtml(hostile)).not.toMatch(/[<>"']/);
  });
});
