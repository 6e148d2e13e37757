// endedByValidAfter: a session started before the user's valid-after time is over, unless it is
// the one session the last move spared (keptSessionId), and one started at or after it stands.
import { describe, expect, it } from 'vitest';
import { endedByValidAfter } from '../../../lib/domain/session.ts';

describe('endedByValidAfter', () => {
  it('ends what started before validAfterMs, spares the kept session, keeps what started at or after', () => {
    expect(endedByValidAfter(1_000, 'a', {})).toBe(false);
    expect(endedByValidAfter(999, 'a', { validAfterMs: 1_000 })).toBe(true);
    expect(endedByValidAfter(1_000, 'a', { validAfterMs: 1_000 })).toBe(false);
    expect(endedByValidAfter(999, 'a', { validAfterMs: 1_000, keptSessionId: 'a' })).toBe(false);
    expect(endedByValidAfter(999, 'b', { validAfterMs: 1_000, keptSessionId: 'a' })).toBe(true);
  });
});
