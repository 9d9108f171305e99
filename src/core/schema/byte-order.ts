// String order of Rust's BTreeMap<String, _>: by UTF-8 bytes, which is Unicode code point order.
// JavaScript's default sort compares UTF-16 code units and differs above U+FFFF.

/** Compares two strings by their UTF-8 bytes (negative, 0 or positive, like a sort comparator). */
export function compareByteOrder(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(j) ?? 0;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}
