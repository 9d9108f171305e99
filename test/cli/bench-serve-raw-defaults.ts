// commander's defaults of bench-serve's flags, as the options parser receives them when a user
// gives none: the starting point of the option-validation tests.
import type { RawBenchServeOptions } from '../../src/cli/bench-serve-options.js';

/** commander's defaults, as bench-serve.ts registers them */
export const DEFAULTS: RawBenchServeOptions = {
  endpoint: 'chat',
  header: [],
  timeout: '600',
  readyTimeout: '60',
  dataset: 'random',
  tokenizer: 'default',
  randomInputLen: '256',
  randomOutputLen: '128',
  randomRangeRatio: '0',
  lengthTolerance: '0',
  sharedPrefixLen: '1024',
  sharedSuffixLen: '64',
  prefixGroups: '1',
  sharegptOutputLen: 'fixed',
  sampling: 'without-replacement',
  sharegptMinPromptLen: '4',
  sharegptMinOutputLen: '4',
  sharegptMaxPromptLen: '1024',
  sharegptMaxTotalLen: '2048',
  numPrompts: '100',
  nRepeats: '3',
  warmupRequests: '10',
  warmupErrors: 'fail',
  seed: '0',
  db: 'goodput.db',
  serverEnv: [],
  workers: '1',
};
