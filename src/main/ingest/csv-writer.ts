/** RFC 4180 CSV output: quotes a field only when it holds a delimiter, quote, CR or LF, or edge whitespace. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function toCsvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsvLine(values: readonly (string | number | null)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + toCsvField(values[i]!);
  return `${line}\n`;
}
