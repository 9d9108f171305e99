// The document around every goodput HTML page: a strict Content-Security-Policy (no network, no
// script), the inline stylesheet, a header with the title, facts and section links, and a footer.
// Plain-text inputs are escaped here; `body` is HTML the caller built with escapeHtml.

import { escapeHtml } from '../escape-html.js';
import { PAGE_CSS } from './page-styles.js';

export interface PageShell {
  /** plain text */
  title: string;
  /** plain-text facts under the title, e.g. ["4 cells", "model Qwen/…"] as label → value */
  facts: readonly (readonly [label: string, value: string])[];
  /** section links: element id → label */
  nav: readonly (readonly [id: string, label: string])[];
  /** the page body, already-escaped HTML */
  body: string;
  /** plain text for the footer */
  footer: string;
}

/**
 * The CSP forbids every fetch and every script: the page is self-contained by construction, and a
 * string that escaped escaping still could not run (the browser would refuse and log it).
 */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function htmlPage(page: PageShell): string {
  const facts = page.facts.map(([k, v]) => `<li>${escapeHtml(k)} <b>${escapeHtml(v)}</b></li>`).join('');
  const nav = page.nav.map(([id, label]) => `<a href="#${escapeHtml(id)}">${escapeHtml(label)}</a>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="goodput">
<title>${escapeHtml(page.title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header class="page-head"><div class="inner">
<div class="brand">goodput</div>
<h1>${escapeHtml(page.title)}</h1>
<ul class="facts">${facts}</ul>
${nav === '' ? '' : `<nav class="toc">${nav}</nav>`}
</div></header>
<main>
${page.body}
</main>
<footer class="page-foot">${escapeHtml(page.footer)}</footer>
</body>
</html>
`;
}
