/**
 * A batch of parsed records awaiting conversion. Records without quotes are kept as spans (start/end offsets)
 * into the decoded text, so numeric fields are converted in place and never become strings; records that needed
 * unquoting are kept as strings. Measured on 1M × 10 rows: fewer allocations, less GC in the parser thread.
 */
import { parseIntegerSpan, parseRealSpan } from './column-types.js';

export class RecordBatch {
  count = 0;
  private readonly texts: string[];
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly lines: Int32Array;
  private readonly fieldCounts: Int32Array;
  private readonly strings: (string[] | undefined)[];

  constructor(readonly capacity: number, readonly width: number) {
    this.texts = new Array<string>(capacity);
    this.starts = new Int32Array(capacity * width);
    this.ends = new Int32Array(capacity * width);
    this.lines = new Int32Array(capacity);
    this.fieldCounts = new Int32Array(capacity);
    this.strings = new Array<string[] | undefined>(capacity);
  }

  get isFull(): boolean {
    return this.count >= this.capacity;
  }

  /** Field k of the record is text.slice(starts[k], ends[k]); only the first `width` spans are kept. */
  addSpans(text: string, starts: Int32Array, ends: Int32Array, fieldCount: number, line: number): void {
    const r = this.count++;
    this.texts[r] = text;
    this.strings[r] = undefined;
    this.lines[r] = line;
    this.fieldCounts[r] = fieldCount;
    const w = this.width;
    const n = fieldCount < w ? fieldCount : w;
    const base = r * w;
    for (let k = 0; k < n; k++) {
      this.starts[base + k] = starts[k]!;
      this.ends[base + k] = ends[k]!;
    }
  }

  addFields(fields: string[], line: number): void {
    const r = this.count++;
    this.strings[r] = fields;
    this.lines[r] = line;
    this.fieldCounts[r] = fields.length;
  }

  line(r: number): number {
    return this.lines[r]!;
  }

  fieldCount(r: number): number {
    return this.fieldCounts[r]!;
  }

  raw(r: number, c: number): string {
    const fields = this.strings[r];
    if (fields) return fields[c]!;
    const i = r * this.width + c;
    return this.texts[r]!.slice(this.starts[i]!, this.ends[i]!);
  }

  /** parseInteger of field (r, c) without making it a string. */
  integerAt(r: number, c: number): number {
    const fields = this.strings[r];
    if (fields) return parseIntegerSpan(fields[c]!, 0, fields[c]!.length);
    const i = r * this.width + c;
    return parseIntegerSpan(this.texts[r]!, this.starts[i]!, this.ends[i]!);
  }

  /** The value of field (r, c) as a real column stores it (integers included), or NaN. */
  realAt(r: number, c: number): number {
    const fields = this.strings[r];
    const text = fields ? fields[c]! : this.texts[r]!;
    const i = r * this.width + c;
    const start = fields ? 0 : this.starts[i]!;
    const end = fields ? text.length : this.ends[i]!;
    const v = parseIntegerSpan(text, start, end);
    return Number.isNaN(v) ? parseRealSpan(text, start, end) : v;
  }

  clear(): void {
    // Drop references to the decoded text so it can be collected.
    this.texts.fill(undefined as unknown as string, 0, this.count);
    this.strings.fill(undefined, 0, this.count);
    this.count = 0;
  }
}
