/**
 * JSON and NDJSON as record sources, streamed: NDJSON line by line, a JSON array element by element (a small
 * splitter finds each top-level element; JSON.parse reads it). Nested objects become `a.b` columns, arrays JSON
 * text. Columns are the union of keys in order of first appearance, so a first pass collects them; a malformed
 * line or element fails in that pass, before anything is written.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { XinzhiError } from '../../shared/model/errors.js';
import { flattenObject, malformed, type RecordSource, type SourceRecord } from './records-reader.js';

interface Element {
  value: Record<string, unknown>;
  /** Line (NDJSON) or element number (JSON array), 1-based. */
  line: number;
  /** Bytes read so far (approximately: characters of the decoded text). */
  offset: number;
}

async function* textChunks(path: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let text = decoder.decode(chunk as Buffer, { stream: true });
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

function asRecord(value: unknown, format: 'json' | 'ndjson', fileName: string, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(format, fileName, where, `expected an object {…}, found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)?.slice(0, 40) ?? typeof value}`);
  }
  return value as Record<string, unknown>;
}

/** NDJSON: one JSON object per line; blank lines are skipped. */
async function* ndjsonElements(path: string, fileName: string): AsyncGenerator<Element> {
  let carry = '';
  let line = 0;
  let offset = 0;
  const parseLine = (text: string): Element | null => {
    line++;
    const trimmed = text.trim();
    if (trimmed === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      throw malformed('ndjson', fileName, `line ${line}`, (err as Error).message);
    }
    return { value: asRecord(value, 'ndjson', fileName, `line ${line}`), line, offset };
  };
  try {
    for await (const text of textChunks(path)) {
      offset += text.length;
      let start = 0;
      const all = carry + text;
      for (let nl = all.indexOf('\n'); nl !== -1; nl = all.indexOf('\n', start)) {
        const el = parseLine(all.slice(start, nl));
        start = nl + 1;
        if (el) yield el;
      }
      carry = all.slice(start);
    }
  } catch (err) {
    if (err instanceof TypeError) throw malformed('ndjson', fileName, `line ${line + 1}`, 'invalid UTF-8');
    throw err;
  }
  const el = parseLine(carry);
  if (el) yield el;
}

/** A JSON array of objects, element by element, without holding the whole text. */
async function* jsonArrayElements(path: string, fileName: string): AsyncGenerator<Element> {
  type State = 'start' | 'before' | 'inside' | 'after' | 'end';
  let state: State = 'start';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let index = 0;
  let offset = 0;
  const where = (i: number) => `character ${offset + i + 1}`;
  const emit = (text: string): Element => {
    index++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw malformed('json', fileName, `element ${index}`, (err as Error).message);
    }
    return { value: asRecord(value, 'json', fileName, `element ${index}`), line: index, offset };
  };
  try {
    for await (const text of textChunks(path)) {
      let elementStart = state === 'inside' ? 0 : -1;
      const ready: Element[] = [];
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (state === 'inside') {
          if (inString) {
            if (escaped) escaped = false;
            else if (c === 92) escaped = true;
            else if (c === 34) inString = false;
            continue;
          }
          if (c === 34) inString = true;
          else if (c === 123 || c === 91) depth++;
          else if (c === 125 || c === 93) {
            if (depth === 0) {
              // `]` closing the array right after a scalar element
              parts.push(text.slice(elementStart, i));
              ready.push(emit(parts.join('')));
              parts = [];
              state = 'end';
              continue;
            }
            depth--;
            if (depth === 0) {
              parts.push(text.slice(elementStart, i + 1));
              ready.push(emit(parts.join('')));
              parts = [];
              state = 'after';
            }
          } else if (c === 44 && depth === 0) {
            parts.push(text.slice(elementStart, i));
            ready.push(emit(parts.join('')));
            parts = [];
            state = 'before';
          }
          continue;
        }
        if (c === 32 || c === 9 || c === 10 || c === 13) continue;
        if (state === 'start') {
          if (c !== 91) throw malformed('json', fileName, where(i), `expected “[” (an array of objects), found “${text[i]}”; for one object per line use the .ndjson extension`);
          state = 'before';
        } else if (state === 'before') {
          if (c === 93 && index === 0) {
            state = 'end';
            continue;
          }
          state = 'inside';
          elementStart = i;
          depth = c === 123 || c === 91 ? 1 : 0;
          inString = c === 34;
        } else if (state === 'after') {
          if (c === 44) state = 'before';
          else if (c === 93) state = 'end';
          else throw malformed('json', fileName, where(i), `expected “,” or “]” after element ${index}, found “${text[i]}”`);
        } else {
          throw malformed('json', fileName, where(i), `unexpected “${text[i]}” after the end of the array`);
        }
      }
      if (state === 'inside') parts.push(text.slice(elementStart));
      offset += text.length;
      for (const el of ready) yield el;
    }
  } catch (err) {
    if (err instanceof TypeError) throw malformed('json', fileName, `character ${offset + 1}`, 'invalid UTF-8');
    throw err;
  }
  if (state === 'start') throw new XinzhiError('E_FILE_EMPTY', `${fileName} is empty`, { file: fileName });
  if ((state as State) !== 'end') throw malformed('json', fileName, `element ${index + 1}`, 'the file ends before the array is closed with “]” (truncated?)');
}

/** Opens a JSON array or NDJSON file: a first pass collects the columns, `records` reads it again. */
export async function openJsonSource(path: string, format: 'json' | 'ndjson', signal?: AbortSignal): Promise<RecordSource> {
  const fileName = basename(path);
  const info = await stat(path).catch(() => {
    throw new XinzhiError('E_FILE_NOT_FOUND', `File not found: ${path}`, { file: path });
  });
  if (info.size === 0) throw new XinzhiError('E_FILE_EMPTY', `${fileName} is empty`, { file: fileName });
  const elements = () => (format === 'ndjson' ? ndjsonElements(path, fileName) : jsonArrayElements(path, fileName));
  const columns = new Map<string, number>();
  let count = 0;
  for await (const el of elements()) {
    if (signal?.aborted) throw new XinzhiError('E_CANCELLED', 'Cancelled');
    for (const key of flattenObject(el.value).keys()) if (!columns.has(key)) columns.set(key, columns.size);
    count++;
  }
  if (count === 0) throw new XinzhiError('E_FILE_EMPTY', `${fileName} has no records`, { file: fileName });
  let offset = 0;
  const names = [...columns.keys()];
  async function* records(): AsyncGenerator<SourceRecord> {
    for await (const el of elements()) {
      offset = el.offset;
      const values = new Array<unknown>(names.length);
      for (const [key, value] of flattenObject(el.value)) values[columns.get(key)!] = value;
      yield { values, line: el.line };
    }
  }
  return {
    format,
    fileName,
    fileSize: info.size,
    names,
    records: records(),
    bytesRead: () => Math.min(offset, info.size),
    details: { records: count },
  };
}
