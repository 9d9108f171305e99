import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import { defaultProfileMetadata } from '../../src/core/profile/profile-event.js';
import { parseProfileJsonl } from '../../src/core/profile/profile-jsonl.js';
import { openProfileWriter } from '../../src/output/profile-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openProfileWriter', () => {
  it('appends stamped native events that ferrum’s parser accepts, creating the directory', () => {
    const path = join(dir, 'deep', 'p.jsonl');
    let t = 1000;
    const w = openProfileWriter(path, defaultProfileMetadata(), { clock: () => t++, pid: 77 });
    w.push('iter_prof', { iter: 64, batch_size: 4 }, { total: 1200, sched: 50, process: 1150 }, false);
    w.push('iter_prof', {}, { total: 1 }, true);
    w.close();
    const again = openProfileWriter(path, defaultProfileMetadata(), { clock: () => 5, pid: 78 });
    again.push('x', {}, {}, false);
    again.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      '{"event":"iter_prof","commit_sha":null,"env_hash":"sha256:unknown","model":"unknown","concurrency":1,"shape":{"batch_size":4,"iter":64},"stage_us":{"process":1150,"sched":50,"total":1200},"graph_enabled":false,"runtime_flags":{},"source":"native","schema_version":1,"ts_unix_ms":1000,"pid":77,"seq":0}',
    );
    expect(lines[1]).toContain('"ts_unix_ms":1001,"pid":77,"seq":1}');
    expect(lines[2]).toContain('"pid":78,"seq":0}');
    const parsed = parseProfileJsonl(readFileSync(path, 'utf8'));
    expect(parsed.ok && parsed.events.map((e) => e.event)).toEqual(['iter_prof', 'iter_prof', 'x']);
  });

  it('refuses an invalid event and writes nothing', () => {
    const path = join(dir, 'bad.jsonl');
    const w = openProfileWriter(path, { ...defaultProfileMetadata(), env_hash: 'md5:x' });
    expect(() => w.push('x', {}, {}, false)).toThrow(/env_hash must start with sha256:/);
    w.close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('names a path it cannot open', () => {
    const file = join(dir, 'bad.jsonl');
    try {
      openProfileWriter(join(file, 'x.jsonl'), defaultProfileMetadata());
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, 'IO')).toBe(true);
      expect((e as Error).message).toContain('x.jsonl');
    }
  });
});
