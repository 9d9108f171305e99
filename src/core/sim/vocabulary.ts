// The words the simulated model "generates": a fixed list of English-looking tokens (leading
// spaces, punctuation, a newline and a quote so clients see text that needs JSON escaping), each
// also kept pre-escaped for splicing into a JSON string without JSON.stringify per token.

const WORDS = (
  ' the| of| and| to| in| a| is| that| for| it| as| was| with| be| by| on| not| he| this| are|' +
  ' or| his| from| at| which| but| have| an| had| they| you| were| their| one| all| we| can|' +
  ' her| has| there| been| if| more| when| will| would| who| so| no| model| token| latency|' +
  ' batch| cache| prefix| server| request| stream| queue| engine| kernel| memory| tensor| layer|' +
  ' attention| decode| prefill| throughput| budget| block| sequence| schedule| time| first| last|' +
  ' each| every| many| some| any| other| such| only| also| than| then| very| well| just| much|' +
  ' measured| simulated| benchmark| result|.|,|;|:|!|?| (|)| -| "| \'|\n|\n\n| café| naïve| 東京| ✓| 42| 3.14| 1024'
).split('|');

export interface VocabularyWord {
  /** position in VOCABULARY (for tables built per word) */
  index: number;
  text: string;
  /** `text` escaped for the inside of a JSON string (no surrounding quotes) */
  json: string;
  /** `json` as UTF-8 bytes, spliced into SSE events without encoding per token */
  jsonUtf8: Uint8Array;
}

const UTF8 = new TextEncoder();

export const VOCABULARY: readonly VocabularyWord[] = WORDS.map((text, index) => {
  const json = JSON.stringify(text).slice(1, -1);
  return { index, text, json, jsonUtf8: UTF8.encode(json) };
});

/** Escapes any text for the inside of a JSON string (used for non-vocabulary text: ids, model names). */
export function jsonStringBody(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
