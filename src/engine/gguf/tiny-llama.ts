// A tiny random-weight llama-architecture model as GGUF bytes (SPEC §8.1: no weights can be
// downloaded here, so goodput makes its own). Same seed and vocabulary → the same bytes.

import { deriveStream } from '../../core/random/streams.js';
import { encodeGguf, type GgufTensor, type GgufValue } from './gguf-encode.js';
import type { TinyVocab } from './tiny-vocab.js';

export interface TinyLlamaShape {
  readonly layers: number;
  readonly embedding: number;
  readonly heads: number;
  readonly feedForward: number;
  readonly contextLength: number;
}

/** 2 layers, embedding 64, 4 heads of 16, feed-forward 128, context 256. */
export const TINY_LLAMA_SHAPE: TinyLlamaShape = {
  layers: 2,
  embedding: 64,
  heads: 4,
  feedForward: 128,
  contextLength: 256,
};

/**
 * Builds the GGUF file of a tiny llama model. Weights are uniform in ±√(3/fan_in) (unit variance
 * per output), norms are 1. The output rows of the vocabulary's special tokens (unknown, control:
 * bos/eos) are zero, so their logit is 0 while ordinary tokens' logits are spread around it:
 * greedy decoding never ends early and a run generates exactly max_tokens tokens.
 */
export function buildTinyLlamaGguf(
  vocab: TinyVocab,
  seed: number,
  shape: TinyLlamaShape = TINY_LLAMA_SHAPE,
): Buffer {
  const { layers, embedding, heads, feedForward, contextLength } = shape;
  if (embedding % heads !== 0)
    throw new RangeError(`embedding ${embedding} is not a multiple of heads ${heads}`);
  const nVocab = vocab.tokens.length;
  const rng = deriveStream({ seed, purpose: 'tiny-gguf-weights' });
  const random = (dims: readonly number[], fanIn: number): Float32Array => {
    const n = dims.reduce((a, b) => a * b, 1);
    const bound = Math.sqrt(3 / fanIn);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (rng.nextFloat() * 2 - 1) * bound;
    return data;
  };
  const ones = (n: number): Float32Array => new Float32Array(n).fill(1);
  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', dims: [embedding, nVocab], data: random([embedding, nVocab], 1) },
  ];
  for (let l = 0; l < layers; l++) {
    const p = `blk.${l}`;
    tensors.push(
      { name: `${p}.attn_norm.weight`, dims: [embedding], data: ones(embedding) },
      {
        name: `${p}.attn_q.weight`,
        dims: [embedding, embedding],
        data: random([embedding, embedding], embedding),
      },
      {
        name: `${p}.attn_k.weight`,
        dims: [embedding, embedding],
        data: random([embedding, embedding], embedding),
      },
      {
        name: `${p}.attn_v.weight`,
        dims: [embedding, embedding],
        data: random([embedding, embedding], embedding),
      },
      {
        name: `${p}.attn_output.weight`,
        dims: [embedding, embedding],
        data: random([embedding, embedding], embedding),
      },
      { name: `${p}.ffn_norm.weight`, dims: [embedding], data: ones(embedding) },
      {
        name: `${p}.ffn_gate.weight`,
        dims: [embedding, feedForward],
        data: random([embedding, feedForward], embedding),
      },
      {
        name: `${p}.ffn_up.weight`,
        dims: [embedding, feedForward],
        data: random([embedding, feedForward], embedding),
      },
      {
        name: `${p}.ffn_down.weight`,
        dims: [feedForward, embedding],
        data: random([feedForward, embedding], feedForward),
      },
    );
  }
  const output = random([embedding, nVocab], embedding);
  for (const id of vocab.specialIds) output.fill(0, id * embedding, (id + 1) * embedding);
  tensors.push(
    { name: 'output_norm.weight', dims: [embedding], data: ones(embedding) },
    { name: 'output.weight', dims: [embedding, nVocab], data: output },
  );

  const u32 = (value: number): GgufValue => ({ kind: 'uint32', value });
  const str = (value: string): GgufValue => ({ kind: 'string', value });
  const metadata: Array<readonly [string, GgufValue]> = [
    ['general.architecture', str('llama')],
    ['general.name', str(`goodput tiny llama (seed ${seed})`)],
    ['general.alignment', u32(32)],
    ['general.file_type', u32(0)],
    ['llama.context_length', u32(contextLength)],
    ['llama.embedding_length', u32(embedding)],
    ['llama.block_count', u32(layers)],
    ['llama.feed_forward_length', u32(feedForward)],
    ['llama.attention.head_count', u32(heads)],
    ['llama.attention.head_count_kv', u32(heads)],
    ['llama.attention.layer_norm_rms_epsilon', { kind: 'float32', value: 1e-5 }],
    ['llama.rope.dimension_count', u32(embedding / heads)],
    ['llama.rope.freq_base', { kind: 'float32', value: 10000 }],
    ['llama.vocab_size', u32(nVocab)],
    ['tokenizer.ggml.model', str(vocab.model)],
    ['tokenizer.ggml.tokens', { kind: 'array', itemKind: 'string', values: vocab.tokens }],
    ['tokenizer.ggml.scores', { kind: 'array', itemKind: 'float32', values: vocab.scores }],
    ['tokenizer.ggml.token_type', { kind: 'array', itemKind: 'int32', values: vocab.tokenTypes }],
    ...(vocab.model === 'gpt2'
      ? ([
          ['tokenizer.ggml.merges', { kind: 'array', itemKind: 'string', values: vocab.merges }],
          ['tokenizer.ggml.pre', str('default')],
        ] as const)
      : []),
    ['tokenizer.ggml.bos_token_id', u32(vocab.bosId)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.eosId)],
    ...(vocab.unkId === undefined ? [] : ([['tokenizer.ggml.unknown_token_id', u32(vocab.unkId)]] as const)),
    ['tokenizer.ggml.add_bos_token', { kind: 'bool', value: true }],
  ];
  return encodeGguf(metadata, tensors);
}
