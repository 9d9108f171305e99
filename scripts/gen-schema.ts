// Writes schema/bench-report.schema.json from the zod schemas (run: npx tsx scripts/gen-schema.ts).
// test/core/schema/json-schema.test.ts fails when the committed file is out of date.

import { rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { benchReportJsonSchemaText } from '../src/core/schema/json-schema.js';

const target = fileURLToPath(new URL('../schema/bench-report.schema.json', import.meta.url));
const temporary = `${target}.${process.pid}.tmp`;
await writeFile(temporary, benchReportJsonSchemaText(), 'utf8');
await rename(temporary, target);
process.stdout.write(`wrote ${target}\n`);
