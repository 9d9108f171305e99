// A small byte-level BPE tokenizer.json (GPT-2 style: the 256 byte characters, a few merges,
// <|endoftext|>) for the vocabulary conversion tests.

/** GPT-2's byte → printable character map (byte-level BPE base vocabulary). */
function gpt2ByteChars(): string[] {
  const bs: number[] = [];
  for (let c = 33; c <= 126; c++) bs.push(c);
  for (let c = 161; c <= 172; c++) bs.push(c);
  for (let c = 174; c <= 255; c++) bs.push(c);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const out: string[] = new Array(256);
  bs.forEach((b, i) => {
    out[b] = String.fromCharCode(cs[i] as number);
  });
  return out;
}

export function gpt2TokenizerJson(): string {
  const vocab: Record<string, number> = {};
  gpt2ByteChars().forEach((ch, i) => {
    vocab[ch] = i;
  });
  const merges = ['h e', 'l l', 'he ll', 'hell o', 'Ġ w', 'Ġw o'];
  for (const m of merges) vocab[m.replace(' ', '')] = Object.keys(vocab).length;
  const eos = Object.keys(vocab).length;
  return JSON.stringify({
    model: { type: 'BPE', vocab, merges },
    added_tokens: [{ id: eos, content: '<|endoftext|>', special: true }],
  });
}
