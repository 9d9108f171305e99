// The configuration knobs of the parity checklist (ferrum PLAYBOOK §0.6, SPEC §7.3) and where each
// is found: vLLM/SGLang/llama.cpp-style server flags, FERRUM_* variables, and the client's request
// parameters (sampling). Values are normalised so `0.90` equals `0.9` and `1`/`true`/`on` agree.

export type KnobKind = 'number' | 'switch' | 'text';

export interface FlagSource {
  /** the flag, e.g. `--max-num-seqs` */
  readonly flag: string;
  /** for switches: the value the bare flag means (`--enforce-eager` means CUDA graphs OFF) */
  readonly bare?: 'on' | 'off';
}

export interface Knob {
  readonly id: string;
  readonly label: string;
  readonly kind: KnobKind;
  readonly flags: readonly FlagSource[];
  /** environment variable names (exact): only the FERRUM_* names ferrum's scripts use (ferrum-behaviour §10.3) */
  readonly envKeys: readonly string[];
  /** request body fields (`--extra-body` keys) */
  readonly requestKeys?: readonly string[];
}

export const KNOBS: readonly Knob[] = [
  {
    id: 'kv_cache_fraction',
    label: 'KV-cache memory fraction',
    kind: 'number',
    flags: [{ flag: '--gpu-memory-utilization' }, { flag: '--mem-fraction-static' }],
    envKeys: [],
  },
  {
    id: 'max_num_seqs',
    label: 'max sequences',
    kind: 'number',
    flags: [
      { flag: '--max-num-seqs' },
      { flag: '--max-running-requests' },
      { flag: '--parallel' },
      { flag: '-np' },
    ],
    envKeys: ['FERRUM_PAGED_MAX_SEQS'],
  },
  {
    id: 'max_num_batched_tokens',
    label: 'max batched tokens',
    kind: 'number',
    flags: [
      { flag: '--max-num-batched-tokens' },
      { flag: '--max-prefill-tokens' },
      { flag: '--batch-size' },
      { flag: '-b' },
    ],
    envKeys: [],
  },
  {
    id: 'chunked_prefill',
    label: 'chunked prefill',
    kind: 'switch',
    flags: [
      { flag: '--enable-chunked-prefill', bare: 'on' },
      { flag: '--no-enable-chunked-prefill', bare: 'off' },
    ],
    envKeys: [],
  },
  {
    id: 'prefix_caching',
    label: 'prefix caching',
    kind: 'switch',
    flags: [
      { flag: '--enable-prefix-caching', bare: 'on' },
      { flag: '--no-enable-prefix-caching', bare: 'off' },
      { flag: '--disable-radix-cache', bare: 'off' },
    ],
    envKeys: ['FERRUM_PREFIX_CACHE'],
  },
  {
    id: 'dtype',
    label: 'dtype',
    kind: 'text',
    flags: [{ flag: '--dtype' }],
    envKeys: [],
  },
  {
    id: 'quantization',
    label: 'quantisation',
    kind: 'text',
    flags: [{ flag: '--quantization' }, { flag: '-q' }],
    envKeys: [],
  },
  {
    id: 'kv_cache_dtype',
    label: 'KV-cache dtype',
    kind: 'text',
    flags: [{ flag: '--kv-cache-dtype' }, { flag: '--cache-type-k' }],
    envKeys: ['FERRUM_KV_DTYPE'],
  },
  {
    id: 'tensor_parallel',
    label: 'tensor parallel',
    kind: 'number',
    flags: [{ flag: '--tensor-parallel-size' }, { flag: '-tp' }, { flag: '--tp-size' }, { flag: '--tp' }],
    envKeys: [],
  },
  {
    id: 'cuda_graphs',
    label: 'CUDA graphs',
    kind: 'switch',
    flags: [
      { flag: '--enforce-eager', bare: 'off' },
      { flag: '--disable-cuda-graph', bare: 'off' },
    ],
    envKeys: ['FERRUM_GRAPH'],
  },
  {
    id: 'temperature',
    label: 'sampling: temperature',
    kind: 'number',
    flags: [{ flag: '--temperature' }],
    envKeys: [],
    requestKeys: ['temperature'],
  },
  {
    id: 'top_p',
    label: 'sampling: top_p',
    kind: 'number',
    flags: [{ flag: '--top-p' }],
    envKeys: [],
    requestKeys: ['top_p'],
  },
  {
    id: 'top_k',
    label: 'sampling: top_k',
    kind: 'number',
    flags: [{ flag: '--top-k' }],
    envKeys: [],
    requestKeys: ['top_k'],
  },
  {
    id: 'ignore_eos',
    label: 'sampling: ignore_eos',
    kind: 'switch',
    flags: [],
    envKeys: [],
    requestKeys: ['ignore_eos'],
  },
];

const ON = new Set(['1', 'true', 'on', 'yes', 'enabled']);
const OFF = new Set(['0', 'false', 'off', 'no', 'disabled']);

/** Normalises a raw value for comparison: switches to on/off, numbers to their shortest form. */
export function normaliseKnobValue(kind: KnobKind, raw: string): string {
  const text = raw.trim();
  if (kind === 'switch') {
    const lower = text.toLowerCase();
    if (ON.has(lower)) return 'on';
    if (OFF.has(lower)) return 'off';
    return text;
  }
  if (kind === 'number') {
    const n = Number(text);
    return text !== '' && Number.isFinite(n) ? String(n) : text;
  }
  return text.toLowerCase();
}
