// Small, honest statistics: medians, nearest-rank percentiles and latency summaries over raw
// samples, and a timed loop for throughput. No outlier trimming, no averaging of ratios. Shared by
// the benchmarks (bench/) and the load test (scripts/load/), so both report percentiles alike.
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of the raw samples. */
export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted(
    [...values].sort((a, b) => a - b),
    p,
  );
}

/** Nearest-rank percentile (p in 0..100) of samples already in ascending order: no copy, no sort. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** How long a set of calls took: how many, the median, the tail and the slowest. */
export interface Latency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The latency summary of raw samples (sorted once). */
export function latency(values: readonly number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p99: percentileOfSorted(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/** Milliseconds of one call of an async function. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Operations per second of `fn` over a window of about `windowMs`: calls in batches, the clock
 * read once per batch so reading it costs nothing measurable. Async functions are awaited one by
 * one, exactly as a caller would.
 */
export async function opsPerSecond(fn: () => unknown, isAsync: boolean, windowMs: number, batch = 32): Promise<number> {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  if (isAsync) {
    do {
      for (let i = 0; i < batch; i += 1) await fn();
      calls += batch;
      elapsed = performance.now() - start;
    } while (elapsed < windowMs);
  } else {
    do {
      for (let i = 0; i < batch; i += 1) fn();
      calls += batch;
      elapsed = performance.now() - start;
    } while (elapsed < windowMs);
  }
  return (calls / elapsed) * 1000;
}

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtMs = (n: number, digits = 2) => `${n.toFixed(digits)} ms`;
export const fmtRatio = (n: number) => `${n.toFixed(2)}×`;
