/**
 * Excel .xlsx as a record source, streamed with exceljs' WorkbookReader (one sheet's rows at a time, never the
 * whole workbook). Dates come as ISO dates, formulas as their cached results, Excel errors (#N/A, #DIV/0!…) as
 * missing. A header may span several rows: the upper rows' merged cells (a value followed by blanks) are carried
 * right and joined with the row below, so `Sales` over `Q1 | Q2` gives `Sales.Q1`, `Sales.Q2`.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import ExcelJS from 'exceljs';
import { XinzhiError } from '../../shared/model/errors.js';
import { classify } from './column-types.js';
import { malformed, rawText, type RecordSource, type SourceRecord } from './records-reader.js';

export interface XlsxOptions {
  /** Sheet name; the workbook's first sheet when omitted. */
  sheet?: string | undefined;
  /** 1-based row of the (first) header row; the first non-empty row when omitted. */
  headerRow?: number | undefined;
  /** Rows the header spans; detected (1, or 2+ when merged cells sit over a row of sub-headings) when omitted. */
  headerRows?: number | undefined;
  header?: 'auto' | 'yes' | 'no' | undefined;
}

/** A cell's value as a plain value: formula → cached result, rich text → its text, hyperlink → its text, error → missing. */
export function cellValue(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== 'object' || v instanceof Date) return v ?? null;
  const o = v as Record<string, unknown>;
  if ('result' in o) return cellValue(o.result);
  if ('formula' in o || 'sharedFormula' in o) return null;
  if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
  if ('text' in o) return cellValue(o.text);
  if ('error' in o) return null;
  return JSON.stringify(o);
}

/** Refuses what is not an .xlsx zip: legacy .xls and password-protected workbooks (both OLE2 containers) get their own advice. */
async function checkSignature(path: string, fileName: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    if (head.readUInt32BE(0) === 0xd0cf11e0) {
      // Encrypted OOXML is an OLE2 file holding an "EncryptionInfo" stream; anything else OLE2 is Excel 97–2003.
      const { size } = await handle.stat();
      const probe = Buffer.alloc(Math.min(size, 1 << 20));
      await handle.read(probe, 0, probe.length, 0);
      if (probe.includes(Buffer.from('EncryptionInfo', 'utf16le'))) {
        throw new XinzhiError('E_FILE_ENCRYPTED', `${fileName} is password-protected`, { file: fileName });
      }
      throw new XinzhiError('E_XLS_LEGACY', `${fileName} is an Excel 97–2003 (.xls) workbook`, { file: fileName });
    }
    if (head.readUInt32BE(0) !== 0x504b0304) throw malformed('xlsx', fileName, 'byte 1', 'not a zip archive (an .xlsx file is one)');
  } finally {
    await handle.close();
  }
}

type RowValues = unknown[];

/** Whether the row under a header row holds its sub-headings: the header has blanks (merged cells) that it fills with text. */
function isSubHeading(upper: RowValues, lower: RowValues): boolean {
  if (lower.length === 0) return false;
  const firstUpper = upper.findIndex((v) => v !== null);
  let fillsGap = false;
  for (let c = 0; c < lower.length; c++) {
    const v = lower[c];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string' || classify(v.trim()) !== 'text') return false;
    if (c > firstUpper && (upper[c] === null || upper[c] === undefined)) fillsGap = true;
  }
  return fillsGap;
}

/** Header names from one or more rows; upper rows carried right across blanks (merged cells) and joined with dots. */
export function flattenHeader(rows: RowValues[], width: number): string[] {
  const names: string[] = [];
  const carried: (string | null)[] = rows.map(() => null);
  for (let c = 0; c < width; c++) {
    const parts: string[] = [];
    rows.forEach((row, level) => {
      const text = rawText(row[c] ?? null)?.trim() ?? '';
      const last = level === rows.length - 1;
      if (text !== '') {
        carried[level] = text;
        // a new upper heading resets the ones below it
        for (let k = level + 1; k < rows.length; k++) carried[k] = null;
        parts.push(text);
      } else if (!last && carried[level] !== null) {
        parts.push(carried[level]!);
      }
    });
    names.push(parts.join('.'));
  }
  return names;
}

const isEmptyRow = (values: RowValues) => values.every((v) => v === null || v === undefined || v === '');

interface SheetInfo {
  name: string;
}

export async function openXlsxSource(path: string, options: XlsxOptions = {}): Promise<RecordSource> {
  const fileName = basename(path);
  const info = await stat(path).catch(() => {
    throw new XinzhiError('E_FILE_NOT_FOUND', `File not found: ${path}`, { file: path });
  });
  if (info.size === 0) throw new XinzhiError('E_FILE_EMPTY', `${fileName} is empty`, { file: fileName });
  await checkSignature(path, fileName);

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  const internals = reader as unknown as { model?: { sheets?: SheetInfo[] }; stream?: { bytesRead?: number; destroy(): void } };
  let lastRow = 0;
  const fail = (err: unknown): never => {
    if (err instanceof XinzhiError) throw err;
    throw malformed('xlsx', fileName, lastRow > 0 ? `row ${lastRow}` : 'workbook structure', err instanceof Error ? err.message : String(err));
  };
  const sheets = reader[Symbol.asyncIterator]();
  let rowIterator: AsyncGenerator<ExcelJS.Row> | null = null;
  const seen: string[] = [];
  let sheetNames: string[] = [];
  let sheetName = '';
  try {
    for (;;) {
      const next = await sheets.next();
      if (next.done) break;
      const ws = next.value as unknown as { name: string; state?: string } & AsyncIterable<ExcelJS.Row>;
      sheetNames = internals.model?.sheets?.map((s) => s.name) ?? [];
      seen.push(ws.name);
      const target = options.sheet ?? sheetNames[0] ?? ws.name;
      if (ws.name === target) {
        sheetName = ws.name;
        rowIterator = ws[Symbol.asyncIterator]() as AsyncGenerator<ExcelJS.Row>;
        break;
      }
    }
  } catch (err) {
    internals.stream?.destroy();
    fail(err);
  }
  if (sheetNames.length === 0) sheetNames = seen;
  if (!rowIterator) {
    internals.stream?.destroy();
    if (seen.length === 0) throw malformed('xlsx', fileName, 'workbook structure', 'the workbook has no worksheets');
    throw new XinzhiError('E_SOURCE_NOT_FOUND', `${fileName} has no sheet ${options.sheet}`, { file: fileName, what: 'sheet', name: options.sheet ?? '', available: sheetNames.join(', ') });
  }

  const nextRow = async (): Promise<{ values: RowValues; number: number } | null> => {
    try {
      const next = await rowIterator!.next();
      if (next.done) return null;
      const row = next.value;
      lastRow = row.number;
      const raw = row.values as unknown[];
      // exceljs' row values are 1-based
      const values: RowValues = [];
      for (let c = 1; c < raw.length; c++) values.push(cellValue(raw[c]));
      while (values.length > 0 && (values[values.length - 1] === null || values[values.length - 1] === undefined)) values.pop();
      return { values, number: row.number };
    } catch (err) {
      return fail(err);
    }
  };

  // Look ahead: the header rows and enough data rows to know the width.
  const LOOKAHEAD = 1000;
  const ahead: { values: RowValues; number: number }[] = [];
  let exhausted = false;
  for (;;) {
    const row = await nextRow();
    if (!row) {
      exhausted = true;
      break;
    }
    if (options.headerRow !== undefined && row.number < options.headerRow) continue;
    if (ahead.length === 0 && isEmptyRow(row.values)) continue;
    ahead.push(row);
    if (ahead.length >= LOOKAHEAD) break;
  }
  if (ahead.length === 0) {
    internals.stream?.destroy();
    throw new XinzhiError('E_FILE_EMPTY', `${fileName}: sheet ${sheetName} has no rows`, { file: `${fileName} / ${sheetName}` });
  }
  const hasHeader = options.header !== 'no';
  let headerRows = 0;
  if (hasHeader) {
    headerRows = options.headerRows ?? 1;
    if (options.headerRows === undefined) {
      while (headerRows < ahead.length - 1 && isSubHeading(ahead[headerRows - 1]!.values, ahead[headerRows]!.values)) headerRows++;
    }
    headerRows = Math.min(headerRows, ahead.length);
  }
  const header = ahead.splice(0, headerRows);
  let width = Math.max(0, ...header.map((r) => r.values.length), ...ahead.map((r) => r.values.length));
  const names = hasHeader ? flattenHeader(header.map((r) => r.values), width) : Array.from({ length: width }, () => '');
  width = names.length;

  let done = 0;
  async function* records(): AsyncGenerator<SourceRecord> {
    try {
      const emit = (row: { values: RowValues; number: number }): SourceRecord | null => {
        if (isEmptyRow(row.values)) return null;
        if (row.values.length > width) {
          throw malformed('xlsx', fileName, `row ${row.number}`, `a value in column ${row.values.length}, right of the header's last column (${width}); add a heading for it or set the header row`);
        }
        done++;
        return { values: row.values, line: row.number };
      };
      for (const row of ahead) {
        const rec = emit(row);
        if (rec) yield rec;
      }
      ahead.length = 0;
      if (exhausted) return;
      for (;;) {
        const row = await nextRow();
        if (!row) return;
        const rec = emit(row);
        if (rec) yield rec;
      }
    } finally {
      internals.stream?.destroy();
    }
  }
  return {
    format: 'xlsx',
    fileName,
    fileSize: info.size,
    names,
    records: records(),
    bytesRead: () => Math.min(info.size, internals.stream?.bytesRead ?? (done > 0 ? info.size / 2 : 0)),
    details: { sheet: sheetName, headerRow: header[0]?.number ?? null, headerRows },
    choices: { sheets: sheetNames },
    close: () => internals.stream?.destroy(),
  };
}
