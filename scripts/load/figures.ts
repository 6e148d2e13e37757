// Figures of a load run from its raw answers: nearest-rank latency percentiles overall, per kind
// and per time window, and answers by status class. Exact (every sample kept), nothing trimmed; the
// percentiles are bench/lib/stats.ts's, the same the benchmarks report.
import { type Latency, latency } from '../../bench/lib/stats.ts';
import type { Answer } from './drive.ts';
import { EXPECTED_STATUS, KINDS, type Kind } from './mix.ts';

export interface KindFigures extends Latency {
  kind: Kind | 'all';
  /** Answers with another status than the kind's expected one, e.g. { 401: 3 }. */
  unexpected: Record<number, number>;
}

export interface Classes {
  '2xx': number;
  '4xx': number;
  '5xx': number;
  /** 1xx and 3xx: not expected from this API at all. */
  other: number;
  /** Connection errors and timeouts: requests without an answer. */
  errors: number;
}

function unexpected(answers: readonly Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { kind, status } of answers) if (status !== EXPECTED_STATUS[kind]) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** One row per kind that occurred, then the overall row. */
export function figuresByKind(answers: readonly Answer[]): KindFigures[] {
  const rows: KindFigures[] = [];
  for (const kind of KINDS) {
    const ofKind = answers.filter((answer) => answer.kind === kind);
    if (ofKind.length) rows.push({ kind, ...latency(ofKind.map((a) => a.ms)), unexpected: unexpected(ofKind) });
  }
  rows.push({ kind: 'all', ...latency(answers.map((a) => a.ms)), unexpected: unexpected(answers) });
  return rows;
}

export function classes(answers: readonly Answer[], errors: number): Classes {
  const counts: Classes = { '2xx': 0, '4xx': 0, '5xx': 0, other: 0, errors };
  for (const { status } of answers) {
    if (status >= 200 && status < 300) counts['2xx'] += 1;
    else if (status >= 400 && status < 500) counts['4xx'] += 1;
    else if (status >= 500) counts['5xx'] += 1;
    else counts.other += 1;
  }
  return counts;
}

export interface Window extends Latency {
  /** Seconds after the first request. */
  from: number;
  to: number;
  failed: number;
}

/** Answers per window of `seconds`: shows cold starts at the beginning and any slowdown later. */
export function timeline(answers: readonly Answer[], seconds: number): Window[] {
  const windows: Window[] = [];
  const end = Math.max(0, ...answers.map((answer) => answer.at));
  for (let from = 0; from < end; from += seconds) {
    const inWindow = answers.filter((answer) => answer.at >= from && answer.at < from + seconds);
    const failed = inWindow.filter((answer) => answer.status !== EXPECTED_STATUS[answer.kind]).length;
    windows.push({ from, to: from + seconds, failed, ...latency(inWindow.map((answer) => answer.ms)) });
  }
  return windows;
}
