// Answers that must not reveal whether an account exists (forgot-password, verification resend)
// do different work for real and unknown addresses: a token write and an SES call, or nothing.
// Holding every answer until a fixed minimum time has passed makes both take the same time, as
// long as the real work fits inside it (MAIL_REQUEST_MIN_MS, sized above SES's usual latency).
// This is latency shaping, not business time, so it uses the monotonic clock, not lib/clock.ts.
import { setTimeout as sleep } from 'node:timers/promises';

/** Runs `work` and settles (with its result or its error) no sooner than `minimumMs` after the start. */
export async function noSoonerThan<T>(minimumMs: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const settle = async () => {
    const remaining = minimumMs - (performance.now() - started);
    if (remaining > 0) await sleep(remaining);
  };
  try {
    const result = await work();
    await settle();
    return result;
  } catch (error) {
    await settle();
    throw error;
  }
}
