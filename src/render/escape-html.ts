// The one HTML escaper of goodput: every string that reaches an HTML page (model names, server
// strings, flags, dataset names, error texts) passes through escapeHtml, in text and in attributes.

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes `&`, `<`, `>`, `"` and `'`, so the result is safe both as element text and inside a
 * quoted attribute value. Non-strings are converted with String() first.
 */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
