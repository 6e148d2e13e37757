// Time comes from here so tests can freeze or move it instead of sleeping.

/** Milliseconds since the epoch, like Date.now(). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const toEpochSeconds = (ms: number): number => Math.floor(ms / 1000);

export const toIsoUtc = (ms: number): string => new Date(ms).toISOString();
