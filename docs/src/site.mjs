// The landing page (dist/index.html): every provider, its client package and its operations,
// generated from the specs. Plain HTML and CSS, no external assets.
import { listOperations, packageName } from './spec.mjs'

/** @typedef {import('./spec.mjs').Spec} Spec */

const repository = 'https://github.com/billingkey/billingkey'

/** A key on a rounded square: the site's icon, also used by the reference pages. */
export const favicon = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="7" fill="#1f4fd1"/>
<circle cx="11" cy="16" r="5.5" fill="none" stroke="#fff" stroke-width="3"/>
<path d="M16 16h11M23 16v4.5M27 16v4.5" stroke="#fff" stroke-width="3" stroke-linecap="round"/>
</svg>
`

const escapeHtml = (/** @type {unknown} */ text) =>
  String(text ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  )

const hangul = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/

/**
 * Splits a bilingual summary written as `English (한국어)` or `한국어 (English)` so that the page can
 * show both languages in the same order for every provider. Anything else is kept whole.
 * @param {string | undefined} text
 * @returns {{ en: string, ko?: string }}
 */
export function languages(text = '') {
  const parts = text.match(/^(.+?)\s*\(([^()]+)\)\.?$/)
  if (!parts?.[1] || !parts[2] || hangul.test(parts[1]) === hangul.test(parts[2]))
    return { en: text }
  const [ko, en] = hangul.test(parts[1]) ? [parts[1], parts[2]] : [parts[2], parts[1]]
  return { en: en.charAt(0).toUpperCase() + en.slice(1), ko }
}

/** @param {{ en: string, ko?: string }} text */
const bilingual = ({ en, ko }) =>
  `${escapeHtml(en)}${ko ? `<span class="ko" lang="ko">${escapeHtml(ko)}</span>` : ''}`

/**
 * @param {string} provider
 * @param {Spec} spec
 * @param {boolean} hasPackage false while only the spec exists: no install command, npm or README
 */
function providerSection(provider, spec, hasPackage) {
  const name = packageName(provider)
  const rows = listOperations(spec).map(
    (op) => `        <tr>
          <td><span class="method ${op.method}">${op.method.toUpperCase()}</span></td>
          <td><code class="path">${escapeHtml(op.path)}</code><code class="id">${escapeHtml(op.operationId)}</code></td>
          <td>${bilingual(languages(op.summary))}</td>
        </tr>`,
  )
  return `  <section class="provider" id="${escapeHtml(provider)}">
    <div class="provider-head">
      <div>
        <h2>${escapeHtml(spec.info?.title ?? provider)}</h2>
        <p class="summary">${bilingual(languages(spec.info?.summary))}</p>
      </div>
      <span class="badge">spec ${escapeHtml(spec.info?.version)}</span>
    </div>
    <div class="install">
      ${
        hasPackage
          ? `<pre><code><span class="prompt">$</span> npm install ${escapeHtml(name)}</code></pre>`
          : `<p class="pending">The spec comes first: the client package ${escapeHtml(name)} is not released yet.</p>`
      }
      <nav class="links">
        <a class="button" href="${escapeHtml(provider)}.html">API reference</a>
        <a href="${escapeHtml(provider)}.openapi.yaml" download>OpenAPI 3.1 spec</a>${
          hasPackage
            ? `
        <a href="https://www.npmjs.com/package/${escapeHtml(name)}">npm</a>
        <a href="${repository}/tree/main/packages/${escapeHtml(provider)}#readme">README</a>`
            : ''
        }
      </nav>
    </div>
    <table class="operations">
      <thead><tr><th>Method</th><th>Path · operationId</th><th>Summary</th></tr></thead>
      <tbody>
${rows.join('\n')}
      </tbody>
    </table>
  </section>`
}

/**
 * @param {{ provider: string, spec: Spec, hasPackage?: boolean }[]} providers
 * @returns {string}
 */
export function renderIndex(providers) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>billingkey: billing-key API clients for iamport, Bootpay and PortOne V2</title>
<meta name="description" content="Typed, contract-first clients and API references for the billing-key (빌링키) APIs of iamport (PortOne V1), Bootpay and PortOne V2.">
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<style>
${css}
</style>
</head>
<body>
<header class="top">
  <div class="wrap">
    <a class="brand" href="index.html"><img src="favicon.svg" alt="" width="24" height="24">billingkey</a>
    <nav>${providers.map(({ provider, spec }) => `<a href="${escapeHtml(provider)}.html">${escapeHtml(spec.info?.title?.split(/\s/)[0] ?? provider)} API</a>`).join('')}<a href="${repository}">GitHub</a></nav>
  </div>
</header>
<main class="wrap">
  <section class="hero">
    <h1>Billing-key API clients for Korean payment providers</h1>
    <p class="ko" lang="ko">한국 PG사 빌링키 API를 위한 타입 안전 클라이언트</p>
    <p>Typed, contract-first TypeScript clients for the billing-key (빌링키) APIs of
    iamport (PortOne V1), Bootpay and PortOne V2, generated from hand-written OpenAPI 3.1 specs. Each provider
    is its own package: install the one you use. The references below are rendered from the same
    specs, in Korean and English, with examples of every request and response.</p>
  </section>
${providers.map(({ provider, spec, hasPackage = true }) => providerSection(provider, spec, hasPackage)).join('\n')}
</main>
<footer class="wrap">
  <p>Rendered from <code>specs/&lt;provider&gt;/openapi.yaml</code> with Redocly CLI.
  MIT licensed. <a href="${repository}">Source on GitHub</a>.</p>
</footer>
</body>
</html>
`
}

const css = `:root {
  --bg: #ffffff; --fg: #1b1f24; --muted: #5b6470; --line: #e3e7ec; --panel: #f6f8fa;
  --accent: #1f4fd1; --accent-fg: #ffffff; --code: #0f2a5c;
  --get: #0a7f43; --post: #1f4fd1; --put: #9a5b00; --patch: #9a5b00; --delete: #c42b2b;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1216; --fg: #e6e9ee; --muted: #9aa4b1; --line: #262c34; --panel: #161b22;
    --accent: #6f95ff; --accent-fg: #0f1216; --code: #c9d7ff;
    --get: #3fcf85; --post: #6f95ff; --put: #e0a340; --patch: #e0a340; --delete: #ff7070;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--fg); line-height: 1.6;
  font: 16px/1.6 -apple-system, BlinkMacSystemFont, "Segoe UI", "Apple SD Gothic Neo",
    "Malgun Gothic", "Noto Sans KR", "Noto Sans CJK KR", "Nanum Gothic", Roboto, Helvetica,
    Arial, sans-serif;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre {
  font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "D2Coding",
    "Liberation Mono", monospace;
  font-size: 0.88em;
}
.wrap { max-width: 1080px; margin: 0 auto; padding: 0 24px; }
.top { border-bottom: 1px solid var(--line); }
.top .wrap { display: flex; align-items: center; justify-content: space-between; height: 60px; }
.brand { display: flex; align-items: center; gap: 10px; color: var(--fg); font-weight: 700; font-size: 18px; }
.top nav { display: flex; gap: 24px; font-size: 15px; }
.top nav a { color: var(--muted); }
.hero { padding: 56px 0 24px; max-width: 760px; }
.hero h1 { font-size: 36px; line-height: 1.2; margin: 0 0 8px; letter-spacing: -0.02em; }
.hero p { color: var(--muted); margin: 12px 0 0; }
.hero .ko { font-size: 18px; color: var(--fg); margin-top: 0; }
.provider {
  border: 1px solid var(--line); border-radius: 12px; margin: 32px 0; overflow: hidden;
}
.provider-head {
  display: flex; justify-content: space-between; align-items: flex-start; gap: 16px;
  padding: 24px 24px 0;
}
.provider h2 { margin: 0; font-size: 24px; letter-spacing: -0.01em; }
.summary { margin: 4px 0 0; color: var(--muted); }
.badge {
  flex: none; border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px;
  font-size: 13px; color: var(--muted); white-space: nowrap;
}
.install {
  display: flex; flex-wrap: wrap; align-items: center; gap: 12px 20px; padding: 20px 24px;
}
.install pre {
  margin: 0; padding: 10px 14px; background: var(--panel); border: 1px solid var(--line);
  border-radius: 8px; color: var(--code);
}
.prompt { color: var(--muted); user-select: none; margin-right: 8px; }
.pending { margin: 0; color: var(--muted); }
.links { display: flex; flex-wrap: wrap; align-items: center; gap: 16px; font-size: 15px; }
.button {
  background: var(--accent); color: var(--accent-fg); padding: 8px 16px; border-radius: 8px;
  font-weight: 600;
}
.button:hover { text-decoration: none; opacity: 0.9; }
.operations { width: 100%; border-collapse: collapse; font-size: 15px; }
.operations th {
  text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em;
  color: var(--muted); font-weight: 600; background: var(--panel); padding: 8px 24px;
  border-top: 1px solid var(--line);
}
.operations td { padding: 12px 24px; border-top: 1px solid var(--line); vertical-align: top; }
.operations td:first-child { width: 1%; }
.method {
  display: inline-block; min-width: 64px; font: 700 12px/22px ui-monospace, monospace;
  letter-spacing: 0.04em;
}
.method.get { color: var(--get); } .method.post { color: var(--post); }
.method.put { color: var(--put); } .method.patch { color: var(--patch); }
.method.delete { color: var(--delete); }
.path { display: block; color: var(--fg); word-break: break-all; }
.id { display: block; color: var(--muted); font-size: 0.8em; }
.operations .ko { display: block; color: var(--muted); font-size: 14px; }
.summary .ko::before { content: " · "; }
footer { color: var(--muted); font-size: 14px; padding-bottom: 48px; }
@media (max-width: 720px) {
  .top nav a:not(:last-child) { display: none; }
  .hero h1 { font-size: 28px; }
  .provider-head, .install { padding-left: 16px; padding-right: 16px; }
  .operations th, .operations td { padding-left: 16px; padding-right: 16px; }
  .operations th:last-child, .operations td:last-child { display: none; }
}`
