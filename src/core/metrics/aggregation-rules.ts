// Where ferrum's 0.7.7 seed and ferrum HEAD aggregate differently, which one goodput follows
// (SPEC §2.2 "Concretely": the seed, by default), and HEAD's rules for parity checks.

/**
 * `seed` is goodput's default and what every report it writes uses;
 * `head` reproduces ferrum HEAD's compute_metrics bit for bit (Appendix A was produced by HEAD),
 * for parity checks against HEAD reports. Each choice is applied where it is made (cell-aggregator.ts):
 *
 * | choice                          | seed (default)                              | head                                   |
 * |---------------------------------|---------------------------------------------|----------------------------------------|
 * | throughput numerators           | tokens of SUCCESSFUL requests               | tokens of ALL measured requests        |
 * | locked ITL fields (itl_ms)      | percentiles of every ITL sample of the      | same samples, but only in a repeat     |
 * |                                 | successful requests, per repeat             | that is fully ITL-eligible; and all    |
 * |                                 |                                             | four ITL lists are zeroed if any       |
 * |                                 |                                             | repeat is not                          |
 * | repeat_metrics[].itl_ms         | the seed values above (so the locked        | HEAD's per-repeat values               |
 * |                                 | aggregate is recomputable from the rows)    |                                        |
 *
 * Identical in both (HEAD's additive audit fields are always kept): repeat_metrics with HEAD's
 * token totals over ALL measured requests (`actual_input_tokens`, `output_tokens`),
 * itl_evidence_per_request and the eligibility counts (so has_complete_itl_evidence() and the
 * markdown's `unavailable` still follow ferrum's evidence rule), output_tokens_per_request, the
 * unbounded SLO written as the largest finite double, and HEAD's duration guard (a non-positive or
 * non-finite duration is an error; the seed clamped it to machine epsilon).
 */
export type AggregationRules = 'seed' | 'head';

export const DEFAULT_AGGREGATION_RULES: AggregationRules = 'seed';
