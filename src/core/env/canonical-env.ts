// The env hash exactly as ferrum computes it (ferrum-behaviour §4.4): "sha256:" + lowercase hex
// SHA-256 of the compact serialisation of Env in declared order, optionals omitted, maps sorted.
// Hashing is the only non-pure operation allowed in core/ (SPEC §2).

import { createHash } from 'node:crypto';
import { type BenchReport, type Env, EnvSchema } from '../schema/bench-report.js';
import { writeOrderedJson } from '../schema/json-writer.js';

/**
 * The canonical compact JSON of an Env: the bytes ferrum hashes. An Env read from a report written
 * before `runtime_config` existed has no such field and is serialised without it, as it was hashed.
 * Unknown env keys (from newer writers) follow the declared ones in their original order.
 */
export function canonicalEnvJson(env: Env): string {
  return writeOrderedJson(env, EnvSchema);
}

/** `sha256:<64 hex>` of canonicalEnvJson(env), over its UTF-8 bytes. */
export function envHash(env: Env): string {
  return `sha256:${createHash('sha256').update(canonicalEnvJson(env), 'utf8').digest('hex')}`;
}

export interface EnvHashCheck {
  readonly stored: string;
  readonly computed: string;
  readonly ok: boolean;
}

/** Recomputes a report's env hash from its `env` block and compares it with the stored `env_hash`. */
export function verifyEnvHash(report: BenchReport): EnvHashCheck {
  const computed = envHash(report.env);
  return { stored: report.env_hash, computed, ok: computed === report.env_hash };
}
