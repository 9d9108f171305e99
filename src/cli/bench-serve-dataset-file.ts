// Reads a file dataset of bench-serve (--dataset-name sharegpt / jsonl, --dataset-path) by
// streaming it into the pure dataset reader; errors name the flag and the file.

import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { type DatasetFile, openDatasetReader } from '../core/dataset/build-dataset.js';
import { GoodputError } from '../core/errors.js';
import type { BenchServeOptions } from './bench-serve-options.js';

/** Streams a file dataset (sharegpt, jsonl) into its reader; undefined for generated ones. */
export async function readDatasetFile(options: BenchServeOptions): Promise<DatasetFile | undefined> {
  const spec = options.dataset;
  if (spec.kind !== 'sharegpt' && spec.kind !== 'jsonl') return undefined;
  const reader = openDatasetReader(spec, basename(spec.path));
  if (reader === undefined) return undefined;
  try {
    for await (const chunk of createReadStream(spec.path, { encoding: 'utf8' })) reader.push(chunk as string);
  } catch (e) {
    throw new GoodputError('INPUT_MISSING', `--dataset-path ${spec.path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return reader.finish();
}
