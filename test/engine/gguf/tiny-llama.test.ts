import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGguf } from '../../../src/engine/gguf/gguf-encode.js';
import { buildTinyLlamaGguf, TINY_LLAMA_SHAPE } from '../../../src/engine/gguf/tiny-llama.js';
import { builtinVocab, vocabFromTokenizerJson } from '../../../src/engine/gguf/tiny-vocab.js';
import { gpt2TokenizerJson } from './gpt2-tokenizer-json.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-gguf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('encodeGguf', () => {
  it('writes the v3 header, typed key/values and 32-byte aligned tensor data', () => {
    const data = new Float32Array([1, 2, 3]);
    const buf = encodeGguf(
      [
        ['general.alignment', { kind: 'uint32', value: 32 }],
        ['k', { kind: 'string', value: 'é' }],
      ],
      [
        { name: 'a', dims: [3], data },
        { name: 'b', dims: [1], data: new Float32Array([7]) },
      ],
    );
    expect(buf.subarray(0, 4).toString('ascii')).toBe('GGUF');
    expect(buf.readUInt32LE(4)).toBe(3);
    expect(buf.readBigUInt64LE(8)).toBe(2n); // tensors
    expect(buf.readBigUInt64LE(16)).toBe(2n); // key/values
    // data section: a at the first aligned offset, b 32 bytes later
    const end = buf.length;
    expect(end % 32).toBe(0);
    expect(buf.readFloatLE(end - 32)).toBe(7);
    expect(buf.readFloatLE(end - 64 + 8)).toBe(3);
  });

  it('rejects a tensor whose data does not fill its dims', () => {
    expect(() => encodeGguf([], [{ name: 'x', dims: [2, 2], data: new Float32Array(3) }])).toThrow(
      /x: dims 2×2 hold 4 values/,
    );
  });
});

describe('buildTinyLlamaGguf', () => {
  it('is deterministic per seed', () => {
    const v = builtinVocab();
    expect(sha(buildTinyLlamaGguf(v, 1))).toBe(sha(buildTinyLlamaGguf(v, 1)));
    expect(sha(buildTinyLlamaGguf(v, 1))).not.toBe(sha(buildTinyLlamaGguf(v, 2)));
  });

  it("reads back through node-llama-cpp's own GGUF reader with the llama metadata and every tensor", async () => {
    const { readGgufFileInfo } = await import('node-llama-cpp');
    const path = join(dir, 'tiny.gguf');
    const vocab = builtinVocab();
    writeFileSync(path, buildTinyLlamaGguf(vocab, 42));
    const info = await readGgufFileInfo(path);
    expect(info.version).toBe(3);
    const md = info.metadata as unknown as {
      general: { architecture: string; alignment: number };
      llama: {
        block_count: number;
        embedding_length: number;
        context_length: number;
        attention: { head_count: number };
      };
      tokenizer: { ggml: { model: string; tokens: string[]; eos_token_id: number } };
    };
    expect(md.general.architecture).toBe('llama');
    expect(md.general.alignment).toBe(32);
    expect(md.llama.block_count).toBe(TINY_LLAMA_SHAPE.layers);
    expect(md.llama.embedding_length).toBe(64);
    expect(md.llama.attention.head_count).toBe(4);
    expect(md.llama.context_length).toBe(256);
    expect(md.tokenizer.ggml.model).toBe('llama');
    expect(md.tokenizer.ggml.tokens).toHaveLength(vocab.tokens.length);
    expect(md.tokenizer.ggml.eos_token_id).toBe(2);
    const names = (info.fullTensorInfo ?? []).map((t) => t.name);
    expect(names).toContain('token_embd.weight');
    expect(names).toContain('blk.1.ffn_down.weight');
    expect(names).toContain('output.weight');
    expect(names).toHaveLength(3 + 9 * TINY_LLAMA_SHAPE.layers);
    for (const t of info.fullTensorInfo ?? []) expect(Number(t.offset) % 32).toBe(0);
  });

  it('a byte-level BPE vocabulary from tokenizer.json loads and generates in llama.cpp', async () => {
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    const path = join(dir, 'gpt2.gguf');
    writeFileSync(path, buildTinyLlamaGguf(vocabFromTokenizerJson(gpt2TokenizerJson(), 't.json'), 5));
    const llama = await getLlama({
      gpu: false,
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.error,
    });
    try {
      const model = await llama.loadModel({ modelPath: path });
      const ids = model.tokenize('hello world');
      expect(model.detokenize(ids)).toBe('hello world');
      expect(ids.slice(0, 2)).toEqual([259, 261]); // the merges "hello" and "Ġwo"
      const ctx = await model.createContext({ contextSize: 64, threads: 1 });
      const out: number[] = [];
      for await (const t of ctx.getSequence().evaluate(ids, { temperature: 0 })) {
        out.push(t);
        if (out.length === 8) break;
      }
      expect(out).toHaveLength(8);
      expect(out).not.toContain(262); // never the eos: its output row is zero
    } finally {
      await llama.dispose();
    }
  });
});
