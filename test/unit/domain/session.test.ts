// The "valid after" rule with the session a password change spares (User.keptSessionId): what
// started before validAfterMs is ended, except the kept session; nothing without a session is kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endedByValidAfter } from '../../../lib/domain/session.ts';
import { issuedBeforeValidAfter } from '../../../lib/tokens/signed-jwt.ts';

describe('endedByValidAfter', () => {
  const validAfterMs = 1_700_000_000_000;

  it('ends what started before the time, keeps what started at or after it, and keeps everything when there is no time', () => {
    expect(endedByValidAfter(validAfterMs - 1, 'a', { validAfterMs })).toBe(true);
    expect(endedByValidAfter(validAfterMs, 'a', { validAfterMs })).toBe(false);
    expect(endedByValidAfter(validAfterMs + 1, 'a', { validAfterMs })).toBe(false);
    expect(endedByValidAfter(0, 'a', {})).toBe(false);
  });

  it('spares only the kept session, and never something without a session', () => {
    const user = { validAfterMs, keptSessionId: 'kept' };
    expect(endedByValidAfter(validAfterMs - 1, 'kept', user)).toBe(false);
    expect(endedByValidAfter(validAfterMs - 1, 'other', user)).toBe(true);
    expect(endedByValidAfter(validAfterMs - 1, undefined, user)).toBe(true);
  });

  it('for any times and ids: ended exactly when started earlier and not the kept session (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.option(fc.nat()),
        fc.option(fc.uuid(), { nil: undefined }),
        fc.option(fc.uuid(), { nil: undefined }),
        (createdAt, after, sid, kept) => {
          const user = { ...(after === null ? {} : { validAfterMs: after }), ...(kept ? { keptSessionId: kept } : {}) };
          const expected = after !== null && createdAt < after && (sid === undefined || sid !== kept);
          expect(endedByValidAfter(createdAt, sid, user)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('issuedBeforeValidAfter', () => {
  it("compares a token's iat (seconds) and spares the kept session's tokens by their sid", () => {
    const user = { validAfterMs: 1_700_000_000_500, keptSessionId: 'kept' };
    expect(issuedBeforeValidAfter(1_700_000_000, user)).toBe(true);
    expect(issuedBeforeValidAfter(1_700_000_000, user, 'other')).toBe(true);
    expect(issuedBeforeValidAfter(1_700_000_000, user, 'kept')).toBe(false);
    expect(issuedBeforeValidAfter(1_700_000_001, user)).toBe(false);
  });
});
