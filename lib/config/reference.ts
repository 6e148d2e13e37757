// The configuration reference, rendered from the section declarations: docs/configuration.md holds
// it between two markers, `npm run docs:config` rewrites it, and a unit test fails when it is stale.
import { SECTIONS } from './all.ts';

export const BEGIN_MARKER = '<!-- generated:configuration -->';
export const END_MARKER = '<!-- /generated:configuration -->';

/** A table cell: inline code for values, and no character that would end the cell or the row. */
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The Markdown table of every variable: name, section, default, allowed values, meaning. */
export function renderReference(): string {
  const rows = SECTIONS.flatMap((section) =>
    section.variables.map((variable) =>
      [`\`${variable.name}\``, section.name, variable.defaultText, variable.kind.allowed, variable.description].map(cell).join(' | '),
    ),
  );
  return ['| variable | section | default | allowed | meaning |', '|---|---|---|---|---|', ...rows.map((row) => `| ${row} |`)].join('\n');
}

/** `document` with the text between the markers replaced by the rendered reference. */
export function withReference(document: string): string {
  const begin = document.indexOf(BEGIN_MARKER);
  const end = document.indexOf(END_MARKER);
  if (begin < 0 || end < begin) throw new Error(`the document has no ${BEGIN_MARKER} ... ${END_MARKER} block`);
  return `${document.slice(0, begin + BEGIN_MARKER.length)}\n${renderReference()}\n${document.slice(end)}`;
}
