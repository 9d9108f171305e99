// The one way goodput names a place inside a JSON value in error messages: `cells[2].ttft_ms.p50`.

/** Formats a zod issue path (keys and indices) after an optional base path; '' for the root. */
export function formatJsonPath(path: readonly PropertyKey[], base = ''): string {
  let out = base;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
