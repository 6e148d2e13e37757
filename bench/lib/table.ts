// The benchmark's table: one row per measurement with its target and PASS or MISS, as markdown,
// and the few formats its cells use.
export type Row = [id: string, what: string, figure: string, target: string, result: string];

export const status = (ok: boolean) => (ok ? 'PASS' : 'MISS');
export const ms = (value: number) => (value < 1 ? `${(value * 1000).toFixed(1)} µs` : `${value.toFixed(2)} ms`);
export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
export const ratio = (value: number) => `${value.toFixed(2)}×`;

const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|');

/** A markdown table; `header` names the columns, every row has as many cells. */
export function markdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`)].join('\n');
}

export function table(rows: readonly Row[]): string {
  return markdown(['#', 'Measurement', 'Figure', 'Target', 'Result'], rows);
}
