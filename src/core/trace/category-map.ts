// The exact category map of the layer-wise breakdown: an event's category (lower-cased, trimmed)
// is looked up by EXACT name among each category's aliases. ferrum's visualiser matched the first
// known name contained as a substring, so `attn` fell into "other" and "interaction" into "act"
// (ferrum-behaviour §11, §13.5 item 41); an exact map has neither failure.

/** The breakdown categories, in stacking order (ferrum's order), `other` last. */
export const TRACE_CATEGORIES = [
  'attention',
  'gemm',
  'quant',
  'moe',
  'routing',
  'norm',
  'act',
  'comm',
  'sampling',
  'scheduling',
  'other',
] as const;
export type TraceCategory = (typeof TRACE_CATEGORIES)[number];

/**
 * Every accepted spelling of each category. The category's own name is always an alias.
 * ferrum's producers emit `attention` (name `attn`), `moe`, `moe_prefill` and `moe_batched`.
 */
export const CATEGORY_ALIASES: Readonly<Record<TraceCategory, readonly string[]>> = {
  attention: [
    'attention',
    'attn',
    'self_attn',
    'self_attention',
    'flash_attn',
    'flash_attention',
    'sdpa',
    'paged_attention',
    'mha',
    'gqa',
  ],
  gemm: ['gemm', 'gemv', 'matmul', 'mm', 'linear', 'cublas', 'qkv_proj', 'o_proj'],
  quant: ['quant', 'quantize', 'dequant', 'dequantize', 'quantization'],
  moe: ['moe', 'moe_prefill', 'moe_batched', 'moe_decode', 'experts', 'expert', 'fused_moe'],
  routing: ['routing', 'router', 'moe_router', 'moe_routing', 'topk', 'top_k', 'gating'],
  norm: ['norm', 'rmsnorm', 'rms_norm', 'layernorm', 'layer_norm'],
  act: ['act', 'activation', 'silu', 'gelu', 'swiglu', 'geglu'],
  comm: ['comm', 'communication', 'allreduce', 'all_reduce', 'allgather', 'all_gather', 'nccl'],
  sampling: ['sampling', 'sample', 'sampler', 'logits'],
  scheduling: ['scheduling', 'schedule', 'scheduler', 'sched'],
  other: ['other'],
};

const ALIAS_TO_CATEGORY: ReadonlyMap<string, TraceCategory> = new Map(
  TRACE_CATEGORIES.flatMap((c) => CATEGORY_ALIASES[c].map((alias) => [alias, c] as const)),
);

/**
 * The breakdown category of a raw trace category, or undefined when it is not in the map
 * (the caller counts it under `other` and lists it as unknown).
 */
export function lookupCategory(raw: string): TraceCategory | undefined {
  return ALIAS_TO_CATEGORY.get(raw.trim().toLowerCase());
}

/** Time per category in µs, every category present. */
export type CategoryTotals = Record<TraceCategory, number>;

/** A CategoryTotals with every category at 0. */
export function zeroCategoryTotals(): CategoryTotals {
  return Object.fromEntries(TRACE_CATEGORIES.map((c) => [c, 0])) as CategoryTotals;
}

/** The sum over every category, in stacking order (the order fixes the last digit). */
export function sumCategoryTotals(totals: Readonly<CategoryTotals>): number {
  return TRACE_CATEGORIES.reduce((s, c) => s + totals[c], 0);
}
