// What must match for two cells to be compared (the comparability key: hardware, driver, engine
// identity and flags, workload shape) versus what is merely recorded (provenance: commit,
// timestamps, paths, hosts). SPEC §2.4; it fixes ferrum's env_hash mixing both (ferrum §4.6).

import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { BenchReport } from '../schema/bench-report.js';
import { compareByteOrder } from '../schema/byte-order.js';
import { writeOrderedJson } from '../schema/json-writer.js';
import { runtimeConfigAffects } from './runtime-config.js';

/**
 * The comparability key, in this declared order. Unknown values are null (not omitted) so that a
 * difference "present vs absent" shows up field by field.
 *
 * Deliberately left out: `gpu_clock_lock_mhz` (ferrum records the instantaneous graphics clock,
 * which drifts between captures on an unlocked GPU: ferrum §4.6 item 2), `rust` (the client's
 * toolchain), `commit_sha`, the model's `#tag`, and FERRUM_* variables that only affect
 * diagnostics (trace and profile output paths): all of them are provenance.
 */
export const ComparabilityKeySchema = z.object({
  model: z.string(),
  backend: z.string(),
  scenario: z.string(),
  concurrency: z.int().nullable(),
  request_rate: z.number().nullable(),
  n_prompt: z.int(),
  n_gen: z.int(),
  dataset: z.string().nullable(),
  seed: z.int().nullable(),
  load: z.record(z.string(), z.unknown()).nullable(),
  hw_id: z.string(),
  driver: z.string().nullable(),
  cuda: z.string().nullable(),
  gpu_power_limit_w: z.int().nullable(),
  gpu_persistence_mode: z.boolean().nullable(),
  gpu_auto_boost: z.boolean().nullable(),
  engine_features: z.array(z.string()),
  engine_env: z.record(z.string(), z.string()),
  vllm_args: z.array(z.string()).nullable(),
  server_models: z.array(z.string()).nullable(),
  server_version: z.string().nullable(),
  server_header: z.string().nullable(),
  server_args: z.array(z.string()).nullable(),
  server_env: z.record(z.string(), z.string()),
});
export type ComparabilityKey = z.infer<typeof ComparabilityKeySchema>;

/** The model name without bench-serve's `#<tag>` suffix (the tag is a label, not the workload). */
export function modelWithoutTag(model: string): string {
  const at = model.indexOf('#');
  return at < 0 ? model : model.slice(0, at);
}

/** Builds the comparability key of a cell, from ferrum's fields and, when present, the goodput extension. */
export function comparabilityKey(report: BenchReport): ComparabilityKey {
  const ext = report.goodput;
  const env = report.env;
  const engineEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env.ferrum_env)) {
    const affects = runtimeConfigAffects(k);
    if (!(affects.length === 1 && affects[0] === 'diagnostics')) engineEnv[k] = v;
  }
  return {
    model: modelWithoutTag(report.model),
    backend: report.backend,
    scenario: report.scenario,
    concurrency: report.concurrency ?? null,
    request_rate: report.request_rate ?? null,
    n_prompt: report.n_prompt,
    n_gen: report.n_gen,
    dataset: ext?.dataset?.name ?? null,
    seed: ext?.seed ?? null,
    load: ext?.load === undefined ? null : withoutPathKeys(ext.load),
    hw_id: env.hw_id,
    driver: env.driver ?? null,
    cuda: env.cuda ?? null,
    gpu_power_limit_w: env.gpu_power_limit_w ?? null,
    gpu_persistence_mode: env.gpu_persistence_mode ?? null,
    gpu_auto_boost: env.gpu_auto_boost ?? null,
    engine_features: [...env.ferrum_features].sort(compareByteOrder),
    engine_env: engineEnv,
    vllm_args: env.vllm_args ?? null,
    server_models: ext?.server?.models ?? null,
    server_version: ext?.server?.version ?? null,
    server_header: ext?.server?.server_header ?? null,
    server_args: ext?.server?.server_args ?? null,
    server_env: ext?.server?.server_env ?? {},
  };
}

/** Paths are provenance: a load description's `*path` / `*file` / `*dir` keys are dropped from the key. */
function withoutPathKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !/(^|_)(path|file|dir)$/.test(k)));
}

/** `sha256:<hex>` of the key's canonical compact JSON: equal hashes mean comparable cells. */
export function comparabilityHash(report: BenchReport): string {
  const json = writeOrderedJson(comparabilityKey(report), ComparabilityKeySchema);
  return `sha256:${createHash('sha256').update(json, 'utf8').digest('hex')}`;
}

export interface ComparabilityDifference {
  /** the key field, with map entries as `engine_env.FERRUM_X` */
  readonly field: string;
  /** the value in each cell; undefined when a map entry is absent from that cell */
  readonly a: unknown;
  readonly b: unknown;
}

/** The fields of the comparability key on which two cells differ, in key order (empty: comparable). */
export function diffComparability(a: BenchReport, b: BenchReport): ComparabilityDifference[] {
  const ka = comparabilityKey(a);
  const kb = comparabilityKey(b);
  const out: ComparabilityDifference[] = [];
  for (const field of Object.keys(ComparabilityKeySchema.shape) as Array<keyof ComparabilityKey>) {
    const va = ka[field];
    const vb = kb[field];
    if (field === 'engine_env' || field === 'server_env' || field === 'load') {
      const ma = (va ?? {}) as Record<string, unknown>;
      const mb = (vb ?? {}) as Record<string, unknown>;
      const names = [...new Set([...Object.keys(ma), ...Object.keys(mb)])].sort(compareByteOrder);
      for (const name of names) {
        if (!sameJson(ma[name], mb[name])) out.push({ field: `${field}.${name}`, a: ma[name], b: mb[name] });
      }
      if (field === 'load' && (va === null) !== (vb === null) && names.length === 0)
        out.push({ field, a: va, b: vb });
    } else if (!sameJson(va, vb)) {
      out.push({ field, a: va, b: vb });
    }
  }
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What is recorded but must not decide comparability: commit, runtime, the observed GPU clock, the
 * model tag, the env hash, run identity and timing, the command line, the server URL, diagnostic
 * FERRUM_* variables, and the extension's own `provenance` record (hostnames, paths).
 */
export function provenanceOf(report: BenchReport): Record<string, unknown> {
  const ext = report.goodput;
  const diagnostics = Object.fromEntries(
    Object.entries(report.env.ferrum_env).filter(([k]) => {
      const affects = runtimeConfigAffects(k);
      return affects.length === 1 && affects[0] === 'diagnostics';
    }),
  );
  const tagAt = report.model.indexOf('#');
  const entries: Array<[string, unknown]> = [
    ['commit_sha', report.env.commit_sha],
    ['runtime', report.env.rust],
    ['gpu_clock_mhz', report.env.gpu_clock_lock_mhz],
    ['tag', tagAt < 0 ? undefined : report.model.slice(tagAt + 1)],
    ['env_hash', report.env_hash],
    ['run_id', ext?.run_id],
    ['tool_version', ext?.tool_version],
    ['started_at', ext?.started_at],
    ['finished_at', ext?.finished_at],
    ['command_line', ext?.command_line],
    ['label', ext?.label],
    ['base_url', ext?.server?.base_url],
    ['diagnostics_env', Object.keys(diagnostics).length > 0 ? diagnostics : undefined],
    ...Object.entries(ext?.provenance ?? {}),
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}
