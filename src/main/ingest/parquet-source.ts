/**
 * Parquet as a record source with hyparquet, one row group at a time (memory bounded by the largest row group).
 * Physical and logical types map to column types (INT → integer, FLOAT/DOUBLE/DECIMAL → real, BOOLEAN → boolean,
 * DATE → date, TIMESTAMP/INT96 → datetime); strings are inferred like CSV text. Structs flatten to `a.b` columns,
 * lists and maps become JSON text.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet';
import type { ColumnType } from '../../shared/model/catalog.js';
import { XinzhiError } from '../../shared/model/errors.js';
import { flattenObject, malformed, type RecordSource, type SourceRecord } from './records-reader.js';

/** The column type a Parquet leaf declares; null where the values decide (strings, binary). */
export function parquetColumnType(element: SchemaTree['element']): ColumnType | null {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (logical === 'DATE' || converted === 'DATE') return 'date';
  if (logical === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS' || element.type === 'INT96') return 'datetime';
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return 'real';
  if (logical === 'TIME' || converted === 'TIME_MILLIS' || converted === 'TIME_MICROS') return null;
  switch (element.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'integer';
    case 'FLOAT':
    case 'DOUBLE':
      return 'real';
    default:
      return null;
  }
}

/** Leaf columns: struct fields become `parent.child`; a LIST or MAP stays one column (its value as JSON). */
function leafColumns(node: SchemaTree, prefix: string, out: { name: string; type: ColumnType | null }[]): void {
  for (const child of node.children) {
    const name = `${prefix}${child.element.name}`;
    const logical = child.element.logical_type?.type;
    const isList = logical === 'LIST' || logical === 'MAP' || child.element.converted_type === 'LIST' || child.element.converted_type === 'MAP' || child.element.repetition_type === 'REPEATED';
    if (child.children.length > 0 && !isList) leafColumns(child, `${name}.`, out);
    else out.push({ name, type: isList ? 'text' : parquetColumnType(child.element) });
  }
}

export async function openParquetSource(path: string, signal?: AbortSignal): Promise<RecordSource> {
  const fileName = basename(path);
  const info = await stat(path).catch(() => {
    throw new XinzhiError('E_FILE_NOT_FOUND', `File not found: ${path}`, { file: path });
  });
  if (info.size === 0) throw new XinzhiError('E_FILE_EMPTY', `${fileName} is empty`, { file: fileName });
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw malformed('parquet', fileName, 'file footer', `${(err as Error).message}; the file may be truncated or not Parquet`);
  }
  const leaves: { name: string; type: ColumnType | null }[] = [];
  leafColumns(parquetSchema(metadata), '', leaves);
  const index = new Map(leaves.map((l, i) => [l.name, i]));
  const totalRows = Number(metadata.num_rows);
  let rowsDone = 0;
  async function* records(): AsyncGenerator<SourceRecord> {
    let rowStart = 0;
    for (const [g, group] of metadata.row_groups.entries()) {
      if (signal?.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
      const rowEnd = rowStart + Number(group.num_rows);
      let rows: Record<string, unknown>[];
      try {
        rows = (await parquetReadObjects({ file, metadata, rowStart, rowEnd })) as Record<string, unknown>[];
      } catch (err) {
        throw malformed('parquet', fileName, `row group ${g + 1} (rows ${rowStart + 1}–${rowEnd})`, (err as Error).message);
      }
      for (let r = 0; r < rows.length; r++) {
        const values = new Array<unknown>(leaves.length);
        for (const [key, value] of flattenObject(rows[r]!)) {
          const c = index.get(key);
          if (c !== undefined) values[c] = value;
        }
        rowsDone = rowStart + r + 1;
        yield { values, line: rowsDone };
      }
      rowStart = rowEnd;
    }
  }
  return {
    format: 'parquet',
    fileName,
    fileSize: info.size,
    names: leaves.map((l) => l.name),
    declared: leaves.map((l) => l.type),
    records: records(),
    bytesRead: () => (totalRows > 0 ? Math.round((info.size * rowsDone) / totalRows) : info.size),
    details: { rowGroups: metadata.row_groups.length, rows: totalRows, createdBy: metadata.created_by ?? null },
  };
}
