// The differential tests' comparison (test/support/differential.ts): what it counts as a
// difference, and that a listed deviation explains only what it names, so the table can fail.
import { describe, expect, it } from 'vitest';
import { differences, explain, type Observed } from '../../support/differential.ts';

const answer = (status: number, body: unknown, contentType = 'application/json'): Observed => ({ status, contentType, body });

describe('differences between the reference’s answer and ours', () => {
  it('compares error texts exactly, success texts and numbers by type, booleans always', () => {
    expect(differences(answer(400, { detail: 'This field may not be blank.' }), answer(400, { detail: 'must not be empty' }))).toEqual([
      { at: 'body.detail', kind: 'value', reference: 'This field may not be blank.', ours: 'must not be empty' },
    ]);
    expect(differences(answer(200, { access: 'a.b.c', user_id: 1, ok: true }), answer(200, { access: 'x.y.z', user_id: 7, ok: true }))).toEqual([]);
    expect(differences(answer(200, { ok: true }), answer(200, { ok: false }))).toEqual([{ at: 'body.ok', kind: 'value', reference: true, ours: false }]);
  });

  it('reports status, media type, missing, extra and mistyped keys, and array lengths', () => {
    const found = differences(answer(401, { error: 'x', messages: [{ m: 'a' }] }), answer(400, { detail: 'x', messages: [] }, 'text/html'));
    expect(found.map((d) => `${d.at} ${d.kind}`)).toEqual([
      'status status',
      'content-type content-type',
      'body.error missing',
      'body.messages value',
      'body.detail extra',
    ]);
    expect(differences(answer(200, { id: 1 }), answer(200, { id: '1' }))).toEqual([{ at: 'body.id', kind: 'type', reference: 1, ours: '1' }]);
  });

  it('compares exact paths in success answers, and patterned texts by their pattern only', () => {
    expect(differences(answer(200, { token_type: 'access' }), answer(200, { token_type: 'refresh' }), { exact: ['body.token_type'] })).toHaveLength(1);
    const patterns = { 'body.detail': /^JSON parse error - / };
    expect(
      differences(answer(400, { detail: 'JSON parse error - Expecting value' }), answer(400, { detail: 'JSON parse error - Unexpected end' }), { patterns }),
    ).toEqual([]);
    expect(differences(answer(400, { detail: 'JSON parse error - x' }), answer(400, { detail: 'The body is not valid JSON.' }), { patterns })).toHaveLength(1);
  });
});

describe('deviations', () => {
  it('explain only the differences at or below their path, of their kinds, and are stale when nothing differs there', () => {
    const found = differences(answer(200, { a: 1 }), answer(200, { a: 1, extra: 'x', more: { deep: 1 } }));
    expect(explain(found, [{ on: 'body', kinds: ['extra'], reason: 'r' }])).toEqual({ unexplained: [], stale: [] });
    expect(explain(found, [{ on: 'body.extra', reason: 'r' }]).unexplained.map((d) => d.at)).toEqual(['body.more']);
    expect(explain(found, [{ on: 'body', kinds: ['missing'], reason: 'r' }]).unexplained).toHaveLength(2);
    expect(explain([], [{ on: 'status', reason: 'r' }]).stale).toEqual([{ on: 'status', reason: 'r' }]);
    // "body.ex" is not a parent of "body.extra".
    expect(
      explain(found, [
        { on: 'body.ex', reason: 'r' },
        { on: 'body.more', reason: 'r' },
      ]).unexplained.map((d) => d.at),
    ).toEqual(['body.extra']);
  });
});
