// The hosted pages' frame: one small stylesheet inline (allowed by its hash in the CSP, so no
// other style can apply), readable on a phone, no external requests at all. Scripts run only on
// the pages that name them (the passkey ones), and only files of our own origin.
import { createHash } from 'node:crypto';
import type { HttpResult } from '../http/types.ts';
import { html, SafeHtml } from '../support/html.ts';

const CSS = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;background:#f4f5f7;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;padding:24px 16px}
main{width:100%;max-width:420px;background:#fff;border-radius:10px;padding:28px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.brand{font-weight:600;color:#57606a;margin:0 0 8px}
h1{font-size:1.4rem;margin:0 0 16px}
label{display:block;font-weight:600;margin:16px 0 4px}
input,select{width:100%;font:inherit;padding:10px 12px;border:1px solid #8c959f;border-radius:6px;background:#fff;color:#1f2328}
input:focus,select:focus{outline:3px solid #0b57d0;outline-offset:1px}
input[type=checkbox]{width:auto;margin:0 8px 0 0}
label.check{display:flex;align-items:center;font-weight:400}
input[aria-invalid=true]{border-color:#cf222e}
.hint{font-size:.9rem;color:#57606a;margin:4px 0 0}
.error{color:#cf222e;font-size:.95rem;margin:6px 0 0}
.notice{padding:12px 14px;border-radius:6px;margin:0 0 16px}
.notice.ok{background:#dafbe1;color:#116329}
.notice.bad{background:#ffebe9;color:#a40e26}
button{margin-top:20px;width:100%;font:inherit;font-weight:600;padding:11px;border:0;border-radius:6px;background:#0b57d0;color:#fff;cursor:pointer}
button:focus{outline:3px solid #1f2328;outline-offset:2px}
a{color:#0b57d0}
button.secondary{background:#fff;color:#0b57d0;border:1px solid #0b57d0}
section{border-top:1px solid #d0d7de;margin-top:24px;padding-top:8px}
h2{font-size:1.1rem;margin:8px 0}
h3{font-size:1rem;margin:16px 0 4px}
section form button{width:auto;padding:8px 14px;margin-top:8px}
button.danger{background:#a40e26;color:#fff}
dl{margin:8px 0}dt{font-weight:600}dd{margin:0 0 8px}
ul.items{padding-left:1.2em}ul.items li{margin:0 0 12px}
ul.codes{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.05rem;columns:2;padding-left:1.2em}
code.secret{word-break:break-all;font-size:1rem}
.qr{max-width:220px;margin:12px 0}
.qr svg{width:100%;height:auto;display:block}
`;

const STYLE_HASH = createHash('sha256').update(CSS).digest('base64');

/** Pages carry tokens in their URL and forms: no caching, no referrer, no framing, nothing foreign. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
};

export interface PageOptions {
  productName: string;
  title: string;
  body: SafeHtml;
  status?: number;
  /**
   * Where this page's forms may end up besides our own origin: CSP form-action also governs the
   * redirects after a submission, so the OAuth pages name the client's redirect URI here.
   */
  formTargets?: readonly string[];
  /** Scripts of our own origin the page loads (absolute paths); none by default, and then none may run. */
  scripts?: readonly string[];
}

export function page({ productName, title, body, status = 200, formTargets = [], scripts = [] }: PageOptions): HttpResult {
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · ${productName}</title>
<style>${new SafeHtml(CSS)}</style>
</head>
<body>
<main>
<p class="brand">${productName}</p>
<h1>${title}</h1>
${body}
</main>
${scripts.map(
  (src) => html`<script src="${src}"></script>
`,
)}</body>
</html>`;
  const headers = { ...PAGE_HEADERS };
  if (formTargets.length) {
    headers['content-security-policy'] = headers['content-security-policy'].replace("form-action 'self'", `form-action 'self' ${formTargets.join(' ')}`);
  }
  if (scripts.length) {
    headers['content-security-policy'] = headers['content-security-policy'].replace("default-src 'none';", "default-src 'none'; script-src 'self';");
  }
  return { statusCode: status, headers, body: document.value };
}

/** A notice box: `ok` for success, `bad` for a problem; role=alert makes screen readers say it. */
export const notice = (kind: 'ok' | 'bad', text: string | SafeHtml) =>
  html`<p class="notice ${kind}" role="${kind === 'bad' ? 'alert' : 'status'}">${text}</p>`;

/** The username-or-email and password fields of the hosted sign-in forms (marked invalid after a refused attempt). */
export const passwordFields = (login: string | undefined, invalid: boolean) =>
  html`<label for="username">Username or email</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required
  value="${login ?? ''}" ${invalid ? html`aria-invalid="true"` : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required ${invalid ? html`aria-invalid="true"` : ''}>`;
