// The report's two per-request arrays of one repeat (ferrum's output_tokens_per_request and
// itl_evidence_per_request), held in typed arrays while requests stream in and turned into plain
// arrays only when the report is assembled.

// Why not plain arrays from the start: millions of entries in the JS heap are marked again by
// every full garbage collection, and allocating the sample columns triggers one per 64 MB or so;
// with typed arrays the heap stays small and those collections cheap. Evidence objects are
// interned (EvidenceIds), so a slot holds a 32-bit id.

import type { RequestItlEvidence } from '../schema/bench-report.js';

/** Interns evidence objects of one cell: the same object always gets the same id (1-based). */
export class EvidenceIds {
  readonly list: RequestItlEvidence[] = [];
  private readonly ids = new Map<RequestItlEvidence, number>();
  private last: RequestItlEvidence | null = null;
  private lastId = 0;

  idOf(evidence: RequestItlEvidence): number {
    // consecutive requests mostly share one evidence object (ItlEvidenceCache interns them)
    if (evidence === this.last) return this.lastId;
    let id = this.ids.get(evidence);
    if (id === undefined) {
      this.list.push(evidence);
      id = this.list.length;
      this.ids.set(evidence, id);
    }
    this.last = evidence;
    this.lastId = id;
    return id;
  }
}

/** Output tokens and ITL evidence per submission slot (0-based index) of one repeat. */
export class RequestSlots {
  private readonly tokens: Uint32Array;
  /** 0 for an empty slot, else an EvidenceIds id */
  private readonly evidenceIds: Uint32Array;

  constructor(
    expected: number,
    private readonly interned: EvidenceIds,
  ) {
    this.tokens = new Uint32Array(expected);
    this.evidenceIds = new Uint32Array(expected);
  }

  isFilled(index: number): boolean {
    return this.evidenceIds[index] !== 0;
  }

  /** Fills slot `index`; `outputTokens` must be a u32 (checked by the caller). */
  set(index: number, outputTokens: number, evidence: RequestItlEvidence): void {
    this.tokens[index] = outputTokens;
    this.evidenceIds[index] = this.interned.idOf(evidence);
  }

  // Both arrays are allocated at their final length (Array.from of a typed array grows by copying).

  /** ferrum's output_tokens_per_request entry of this repeat (a new array). */
  outputTokens(): number[] {
    const tokens = this.tokens;
    const out = new Array<number>(tokens.length);
    for (let i = 0; i < tokens.length; i++) out[i] = tokens[i] as number;
    return out;
  }

  /** ferrum's itl_evidence_per_request entry of this repeat (a new array; a finished repeat has
   * every slot filled). */
  itlEvidence(): RequestItlEvidence[] {
    const ids = this.evidenceIds;
    const list = this.interned.list;
    const out = new Array<RequestItlEvidence>(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = list[(ids[i] as number) - 1] as RequestItlEvidence;
    return out;
  }
}
