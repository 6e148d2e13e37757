// The store's one retry loop (lib/store/retry-policy.ts): how many attempts it makes, what it
// waits in between (recorded, never slept), and what it throws when a policy runs out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../../../lib/domain/errors.ts';
import { RETRY_POLICIES, type RetryPolicy, type RetryTiming, tryAgain, withRetries } from '../../../lib/store/retry-policy.ts';

/** Timing that records each wait and returns a fixed draw. */
function recordingTiming(draw = 0.5): RetryTiming & { waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms), random: () => draw };
}

const policies = Object.entries(RETRY_POLICIES) as [string, RetryPolicy][];

describe('withRetries', () => {
  it('returns the first answer that is not "try again", after exactly that many attempts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...policies),
        fc.nat({ max: 10 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async ([, policy], failures, draw) => {
          fc.pre(failures < policy.attempts);
          const timing = recordingTiming(draw);
          let calls = 0;
          const result = await withRetries(
            policy,
            async (n) => {
              calls += 1;
              expect(n).toBe(calls);
              return n <= failures ? tryAgain(new Error(`attempt ${n}`)) : `answer ${n}`;
            },
            timing,
          );
          expect(result).toBe(`answer ${failures + 1}`);
          expect(calls).toBe(failures + 1);
          // One wait before each retry, as the policy prescribes for that attempt and draw.
          expect(timing.waits).toEqual(Array.from({ length: failures }, (_, i) => policy.backoffMs(i + 1, draw)));
        },
      ),
    );
  });

  it("gives up after the policy's attempts with DependencyUnavailableError, the last reason as its cause", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...policies), async ([, policy]) => {
        const timing = recordingTiming();
        let calls = 0;
        const reasons: Error[] = [];
        const failure = await withRetries(
          policy,
          async () => {
            calls += 1;
            const reason = new Error(`attempt ${calls}`);
            reasons.push(reason);
            return tryAgain(reason);
          },
          timing,
        ).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(DependencyUnavailableError);
        expect((failure as Error).cause).toBe(reasons.at(-1));
        expect(calls).toBe(policy.attempts);
        expect(timing.waits).toHaveLength(policy.attempts - 1);
      }),
    );
  });

  it('does not retry what an attempt throws', async () => {
    const timing = recordingTiming();
    let calls = 0;
    const bug = new TypeError('x is undefined');
    await expect(
      withRetries(
        RETRY_POLICIES.optimistic,
        async () => {
          calls += 1;
          throw bug;
        },
        timing,
      ),
    ).rejects.toBe(bug);
    expect(calls).toBe(1);
    expect(timing.waits).toEqual([]);
  });

  it('accepts falsy answers (false, undefined, 0) as answers', async () => {
    for (const answer of [false, undefined, 0, '']) {
      expect(await withRetries(RETRY_POLICIES.optimistic, async () => answer, recordingTiming())).toBe(answer);
    }
  });
});

describe('RETRY_POLICIES', () => {
  it('wait within bounds: never negative, growing with the attempt, the jittered ones within [0, step × attempt)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...policies),
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        ([, policy], attempt, draw) => {
          const wait = policy.backoffMs(attempt, draw);
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(policy.backoffMs(attempt + 1, draw)).toBeGreaterThanOrEqual(wait);
        },
      ),
    );
  });

  it("keep the store's worst-case waits short (they run inside a Lambda with a 10 s timeout, 5 s for the authorizer)", () => {
    for (const [name, policy] of policies) {
      const worst = Array.from({ length: policy.attempts - 1 }, (_, i) => policy.backoffMs(i + 1, 0.999999)).reduce((a, b) => a + b, 0);
      expect(worst, name).toBeLessThan(1_000);
    }
    // The read-then-write loops retry at once: the next attempt reads afresh.
    expect(RETRY_POLICIES.optimistic.backoffMs(3, 0.9)).toBe(0);
  });
});
