// A clock the test controls: frozen at a start time, moved explicitly.
import type { Clock } from '../../lib/support/clock.ts';

export interface TestClock extends Clock {
  set(ms: number): void;
  advance(seconds: number): void;
}

export function testClock(startMs = Date.now()): TestClock {
  let now = startMs;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    advance: (seconds) => {
      now += seconds * 1000;
    },
  };
}
