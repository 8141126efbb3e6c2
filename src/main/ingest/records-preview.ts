/** The import dialog's preview of a record format: columns and types, the first rows, and the sheets or tables to choose from. */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportOptions, ImportPreview, SourceChoice } from '../../shared/model/catalog.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { batchToRows } from './delimited-reader.js';
import { openRecordSource } from './formats.js';
import { readRecords, type RecordFormat, type RecordsSchemaEvent } from './records-reader.js';
import { sqliteTables } from './sqlite-source.js';

export async function previewRecords(
  path: string,
  format: RecordFormat,
  input: SourceChoice & { header: ImportOptions['header'] },
  sampleSize = 20,
): Promise<ImportPreview> {
  // A database with several tables and nothing chosen yet: list them, so the user can pick one.
  if (format === 'sqlite' && !input.table && !input.query) {
    const tables = sqliteTables(path);
    if (tables.length !== 1) {
      const { size } = await stat(path);
      return {
        path, fileName: basename(path), sizeBytes: size, format, encoding: 'utf-8', delimiter: ',', hasHeader: true,
        tables, details: {}, columns: [], sampleRows: [],
      };
    }
  }
  const source = await openRecordSource(path, format, input);
  let schema: RecordsSchemaEvent | null = null;
  const sampleRows: (string | null)[][] = [];
  const reader = readRecords(source, path, { sampleRecords: 2_000, batchRows: sampleSize, hashFile: false });
  try {
    for await (const ev of reader) {
      if (ev.kind === 'schema') schema = ev;
      else if (ev.kind === 'rows') {
        for (const row of batchToRows(ev.columns, ev.rowCount)) sampleRows.push(row.map((v) => (v === null ? null : String(v))));
        break;
      }
    }
  } finally {
    await reader.return(undefined);
  }
  if (!schema) throw new XinzhiError('E_FILE_EMPTY', `${source.fileName} has no records`, { file: source.fileName });
  return {
    path,
    fileName: schema.fileName,
    sizeBytes: schema.fileSize,
    format,
    encoding: 'utf-8',
    delimiter: ',',
    hasHeader: true,
    ...(schema.choices?.sheets ? { sheets: schema.choices.sheets } : {}),
    ...(schema.choices?.tables ? { tables: schema.choices.tables } : {}),
    details: schema.details,
    columns: schema.columns.map(({ name, type, sourceName }) => ({ name, type, sourceName: sourceName ?? name })),
    sampleRows: sampleRows.slice(0, sampleSize),
  };
}
