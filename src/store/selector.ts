// Ledger selectors (SPEC §5): `run:<id>`, `commit:<sha>`, `label:<x>` and `latest`, parsed into a
// value the ledger resolves. Anything else is not a selector (the caller treats it as a path).

import { GoodputError } from '../core/errors.js';

export type Selector =
  | { readonly kind: 'run'; readonly id: string }
  | { readonly kind: 'commit'; readonly sha: string }
  | { readonly kind: 'label'; readonly label: string }
  | { readonly kind: 'latest' };

const PREFIXES = ['run:', 'commit:', 'label:'] as const;

/** True when `text` looks like a ledger selector rather than a file or directory path. */
export function isSelector(text: string): boolean {
  return text === 'latest' || PREFIXES.some((p) => text.startsWith(p));
}

/** Parses a selector; throws USAGE naming the selector when its value is empty or malformed. */
export function parseSelector(text: string): Selector {
  if (text === 'latest') return { kind: 'latest' };
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const value = text.slice(colon + 1).trim();
  if (colon < 0 || value === '') {
    throw new GoodputError('USAGE', `ledger selector "${text}" has no value`, {
      hint: 'use run:<id>, commit:<sha>, label:<label> or latest',
    });
  }
  if (kind === 'run') return { kind: 'run', id: value };
  if (kind === 'commit') {
    if (!/^[0-9a-fA-F]{4,64}$/.test(value)) {
      throw new GoodputError(
        'USAGE',
        `ledger selector "${text}": "${value}" is not a commit sha (4 to 64 hex digits)`,
      );
    }
    return { kind: 'commit', sha: value.toLowerCase() };
  }
  if (kind === 'label') return { kind: 'label', label: value };
  throw new GoodputError('USAGE', `"${text}" is not a ledger selector`, {
    hint: 'use run:<id>, commit:<sha>, label:<label> or latest',
  });
}
