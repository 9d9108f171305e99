// Child process of ledger-crash.test.ts: records one large run and reports progress from INSIDE
// the transaction on stdout, so the parent can SIGKILL it in the middle of the write.
import { readFileSync } from 'node:fs';
import { parseReports } from '../../src/core/schema/report-reader.js';
import { openLedger } from '../../src/store/ledger.js';

const [dbPath, reportPath, totalText] = process.argv.slice(2) as [string, string, string];
const total = Number(totalText);
const cells = parseReports(readFileSync(reportPath, 'utf8'), reportPath);
function* lines(): Generator<string> {
  for (let i = 0; i < total; i++) {
    yield JSON.stringify({
      id: `0.1.${i}`,
      cell: 'crash-cell',
      repeat: 1,
      index: i,
      warmup: false,
      status: 200,
      event_ms: [1, 2, 3],
    });
  }
}
const ledger = openLedger(dbPath);
ledger.recordRun(
  { uid: 'crash-run', source: 'test', cells, requestLines: lines() },
  { progressEvery: 5000, onRequestRows: (n) => process.stdout.write(`rows ${n}\n`) },
);
process.stdout.write('committed\n');
ledger.close();
