// The endpoint table of docs/endpoints.md, rendered from the route table: one line per declared
// operation, so the reference cannot drift from what the Lambdas serve.
import type { AuthScheme } from '../http/declaration.ts';
import { httpLambdas } from '../routes/table.ts';

export const BEGIN_MARKER = '<!-- generated:endpoints -->';
export const END_MARKER = '<!-- /generated:endpoints -->';

const AUTH: Record<AuthScheme, string> = {
  none: 'none',
  bearer: 'bearer (access or API token)',
  basic: 'password in the body, or HTTP Basic',
  password: 'password in the body',
  service: 'service token',
};

/** A table cell: pipes escaped, one line. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

export function renderEndpointReference(): string {
  const rows = httpLambdas().flatMap((lambda) =>
    lambda.operations.map(
      (op) =>
        `| ${cell(op.tag)} | ${op.method} | \`${op.path}\` | ${AUTH[op.auth]}${op.guard ? ` (per-IP budget: ${op.guard}${op.bearerGuard ? `; ${op.bearerGuard} with a bearer token` : ''})` : ''} | ${op.success.status} | ${cell(op.summary)} |`,
    ),
  );
  return ['| group | method | path | authentication | success | what it does |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** `document` with the text between the markers replaced by the rendered table. */
export function withEndpointReference(document: string): string {
  const begin = document.indexOf(BEGIN_MARKER);
  const end = document.indexOf(END_MARKER);
  if (begin < 0 || end < begin) throw new Error(`The document needs the markers ${BEGIN_MARKER} and ${END_MARKER}`);
  return `${document.slice(0, begin + BEGIN_MARKER.length)}\n${renderEndpointReference()}\n${document.slice(end)}`;
}
