export type CsvValue = string | number | boolean | null | undefined | readonly (string | number)[];

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
/** Cells a spreadsheet would run as a formula (CSV injection). */
const FORMULA = /^[=+\-@\t\r]/;

/**
 * One cell, RFC 4180: quoted when it holds a quote, comma, line break or edge space, quotes doubled.
 * Text starting like a formula gets a leading `'` so a spreadsheet shows it instead of running it;
 * numbers are written as they are (a negative number is not a formula). Lists are joined by spaces.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = Array.isArray(value) ? value.join(' ') : String(value);
  if (!Array.isArray(value) && FORMULA.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row, CRLF line ends (RFC 4180), ending with a line break. */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const lines = [columns.map((c) => csvCell(c.header)), ...rows.map((r) => columns.map((c) => csvCell(c.value(r))))];
  return lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}
