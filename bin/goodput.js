#!/usr/bin/env node
// The goodput binary: builds the real IO object and hands it to main (src/cli/main.ts).
import { runMain } from '../dist/cli/main.js';

process.exitCode = await runMain(process.argv.slice(2));
