// Formats a load run's figures as Markdown tables, so the console output can go straight into
// docs/load.md.
import type { Latency } from '../../bench/lib/stats.ts';
import type { Baseline } from './baseline.ts';
import type { Classes, KindFigures, Window } from './figures.ts';
import type { CpuUse, Machine } from './machine.ts';

const ms = (value: number) => (Number.isNaN(value) ? '—' : value < 10 ? value.toFixed(1) : Math.round(value).toString());
const int = (value: number) => Math.round(value).toLocaleString('en-US');

export function machineTable(machine: Machine, loadBefore: string, loadAfter: string): string {
  return [
    '| | |',
    '|---|---|',
    `| CPU | ${machine.cpu} |`,
    `| Cores | ${machine.cores} |`,
    `| Memory | ${machine.memoryGiB} GiB |`,
    `| Node.js | ${machine.node} |`,
    `| OS | ${machine.os} |`,
    `| Load average (1/5/15 min) | before ${loadBefore}; after ${loadAfter} |`,
  ].join('\n');
}

export function kindTable(rows: readonly KindFigures[], elapsedSeconds: number): string {
  const unexpected = (row: KindFigures) =>
    Object.entries(row.unexpected)
      .map(([status, count]) => `${status} × ${int(count)}`)
      .join(', ') || '—';
  return [
    '| request | answers | req/s | p50 ms | p90 ms | p99 ms | max ms | unexpected status |',
    '|---|--:|--:|--:|--:|--:|--:|---|',
    ...rows.map((row) => {
      const name = row.kind === 'all' ? '**all**' : row.kind;
      return `| ${name} | ${int(row.count)} | ${(row.count / elapsedSeconds).toFixed(1)} | ${ms(row.p50)} | ${ms(row.p90)} | ${ms(row.p99)} | ${ms(row.max)} | ${unexpected(row)} |`;
    }),
  ].join('\n');
}

export function classTable(counts: Classes, timeouts: number): string {
  return [
    '| 2xx | 4xx | 5xx | 1xx/3xx | errors (of which timeouts) |',
    '|--:|--:|--:|--:|--:|',
    `| ${int(counts['2xx'])} | ${int(counts['4xx'])} | ${int(counts['5xx'])} | ${int(counts.other)} | ${int(counts.errors)} (${int(timeouts)}) |`,
  ].join('\n');
}

export function cpuTable(usage: readonly CpuUse[], elapsedSeconds: number, cores: number): string {
  const available = elapsedSeconds * cores;
  const threads = (use: CpuUse) => (use.threadsAfter === undefined ? '—' : `${use.threadsBefore} → ${use.threadsAfter}`);
  return [
    `| process | CPU seconds | share of the ${cores} cores over ${elapsedSeconds.toFixed(1)} s | OS threads before → after |`,
    '|---|--:|--:|--:|',
    ...usage.map((use) => `| ${use.name} | ${use.seconds.toFixed(1)} | ${((use.seconds / available) * 100).toFixed(0)} % | ${threads(use)} |`),
  ].join('\n');
}

export function baselineLine(baseline: Baseline, connections: number, seconds: number): string {
  return (
    `OPTIONS /me (the /me Lambda, no database or crypto work), ${connections} connections for ${seconds} s: ` +
    `${baseline.requestsPerSecond.toFixed(0)} req/s, p50 ${ms(baseline.p50)} ms, p99 ${ms(baseline.p99)} ms, ` +
    `${baseline.non2xx} non-2xx, ${baseline.errors} errors`
  );
}

export function timelineTable(windows: readonly Window[]): string {
  return [
    '| seconds | answers | req/s | p50 ms | p99 ms | unexpected status |',
    '|---|--:|--:|--:|--:|--:|',
    ...windows.map(
      (w) => `| ${w.from}–${w.to} | ${int(w.count)} | ${(w.count / (w.to - w.from)).toFixed(1)} | ${ms(w.p50)} | ${ms(w.p99)} | ${int(w.failed)} |`,
    ),
  ].join('\n');
}

export function handlerTable(rows: readonly { functionName: string; latency: Latency }[]): string {
  return [
    '| function | invocations | p50 ms | p90 ms | p99 ms | max ms |',
    '|---|--:|--:|--:|--:|--:|',
    ...rows.map(({ functionName, latency: l }) => `| ${functionName} | ${int(l.count)} | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.max)} |`),
  ].join('\n');
}
