// docs/endpoints.md's table is what the route table renders: a declared endpoint missing from the
// reference (or one documented but gone) fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BEGIN_MARKER, END_MARKER, renderEndpointReference, withEndpointReference } from '../../../lib/openapi/endpoint-reference.ts';
import { httpLambdas } from '../../../lib/routes/table.ts';

describe('docs/endpoints.md', () => {
  it('holds the table the route table renders (run `npm run docs:endpoints` after changing lib/routes/)', () => {
    const document = readFileSync(new URL('../../../docs/endpoints.md', import.meta.url), 'utf8');
    const begin = document.indexOf(BEGIN_MARKER);
    const end = document.indexOf(END_MARKER);
    expect(begin).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(begin);
    expect(document.slice(begin + BEGIN_MARKER.length, end).trim(), 'docs/endpoints.md is out of date: run `npm run docs:endpoints`').toBe(
      renderEndpointReference(),
    );
  });

  it('has one row per declared operation', () => {
    const operations = httpLambdas().flatMap((lambda) => lambda.operations);
    const rows = renderEndpointReference().split('\n').slice(2);
    expect(rows).toHaveLength(operations.length);
    for (const op of operations)
      expect(
        rows.some((row) => row.includes(` ${op.method} | \`${op.path}\` |`)),
        `${op.method} ${op.path}`,
      ).toBe(true);
  });

  it('replaces only the text between the markers', () => {
    expect(withEndpointReference(`a\n${BEGIN_MARKER}\nold\n${END_MARKER}\nb`)).toBe(`a\n${BEGIN_MARKER}\n${renderEndpointReference()}\n${END_MARKER}\nb`);
    expect(() => withEndpointReference('none')).toThrow(/generated:endpoints/);
  });
});
