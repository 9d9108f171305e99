// The `jsonl` dataset: the requests of a read JSONL file, in file order (a request list is replayed
// as written, not sampled). Measured requests are the first N lines, warmup the lines after them;
// an untimed file shorter than N + W is cycled (with a warning); a timed file is replayed once.

import { GoodputError } from '../errors.js';
import type { DatasetPrompt } from './dataset-prompt.js';
import type { JsonlDatasetSpec } from './dataset-spec.js';
import type { JsonlRequest, JsonlRequestFile } from './jsonl-source.js';
import { countPromptTokens, type PromptMeasure } from './prompt-measure.js';

async function toPrompt(
  spec: JsonlDatasetSpec,
  file: JsonlRequestFile,
  req: JsonlRequest,
  measure: PromptMeasure,
  firstTimestampMs: number | undefined,
): Promise<DatasetPrompt> {
  let inputTokens = 0;
  if (req.prompt !== undefined) inputTokens = await countPromptTokens(measure, req.prompt);
  for (const m of req.messages ?? []) inputTokens += await countPromptTokens(measure, m.content);
  const prompt: DatasetPrompt = {
    inputTokens,
    maxTokens: req.maxTokens ?? spec.outputLen,
    sourceRef: `${file.fileName}:${req.line}`,
  };
  if (req.prompt !== undefined) prompt.prompt = req.prompt;
  if (req.messages !== undefined) prompt.messages = req.messages.map((m) => ({ ...m }));
  if (firstTimestampMs !== undefined && req.timestampMs !== undefined) {
    prompt.timestampMs = req.timestampMs - firstTimestampMs;
  }
  return prompt;
}

export async function buildJsonlPrompts(
  spec: JsonlDatasetSpec,
  file: JsonlRequestFile,
  measure: PromptMeasure,
  measuredCount: number,
  warmupCount: number,
): Promise<{ measured: DatasetPrompt[]; warmup: DatasetPrompt[]; warnings: string[] }> {
  const n = file.requests.length;
  const warnings: string[] = [];
  if (file.timed && measuredCount > n) {
    throw new GoodputError(
      'USAGE',
      `--num-prompts ${measuredCount} is more than the ${n} timed requests of ${file.fileName} (a timed file is replayed once)`,
      { hint: `use --num-prompts ${n} or less` },
    );
  }
  if (!file.timed && measuredCount + warmupCount > n) {
    warnings.push(
      `${file.fileName} has ${n} requests for ${measuredCount} measured + ${warmupCount} warmup: lines are reused in file order`,
    );
  }
  const firstTs = file.timed ? file.requests[0]?.timestampMs : undefined;
  const measured: DatasetPrompt[] = [];
  for (let i = 0; i < measuredCount; i++) {
    measured.push(await toPrompt(spec, file, file.requests[i % n] as JsonlRequest, measure, firstTs));
  }
  const warmup: DatasetPrompt[] = [];
  for (let i = 0; i < warmupCount; i++) {
    // Warmup runs at the cell's load shape, so it carries no replay timestamps.
    warmup.push(
      await toPrompt(spec, file, file.requests[(measuredCount + i) % n] as JsonlRequest, measure, undefined),
    );
  }
  return { measured, warmup, warnings };
}
