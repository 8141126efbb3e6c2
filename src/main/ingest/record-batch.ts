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

  /** The fields of record r as strings (at most `width` of them for a record kept as spans). */
  fields(r: number): string[] {
    const fields = this.strings[r];
    if (fields) return fields;
    const n = Math.min(this.fieldCounts[r]!, this.width);
    const out = new Array<string>(n);
    for (let c = 0; c < n; c++) out[c] = this.raw(r, c);
    return out;
  }

  /** Removes the first record: the header, known only once the sample has been read. */
  dropFirst(): void {
    if (this.count === 0) return;
    const w = this.width;
    this.texts.copyWithin(0, 1, this.count);
    this.strings.copyWithin(0, 1, this.count);
    this.lines.copyWithin(0, 1, this.count);
    this.fieldCounts.copyWithin(0, 1, this.count);
    this.starts.copyWithin(0, w, this.count * w);
    this.ends.copyWithin(0, w, this.count * w);
    this.count--;
    this.texts[this.count] = undefined as unknown as string;
    this.strings[this.count] = undefined;
  }

  /** Field (r, c) interned by `coder`: its entry index, without making the field a string unless it is new. */
  intern(r: number, c: number, coder: TextCoder): number {
    const fields = this.strings[r];
    if (fields) return coder.intern(fields[c]!, 0, fields[c]!.length);
    const i = r * this.width + c;
    return coder.intern(this.texts[r]!, this.starts[i]!, this.ends[i]!);
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

/**
 * Interns slices of text: each distinct text gets an entry index in order of first appearance, found through a hash
 * of its characters, so a repeated value is never sliced into a string of its own (a city, a category, a date).
 */
export class TextCoder {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly texts: string[] = [];
  private readonly hashes: number[] = [];

  /** `capacity`: the most entries it will hold (a quarter of its slots at most). */
  constructor(capacity: number) {
    let size = 64;
    while (size < capacity * 4) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  get size(): number {
    return this.texts.length;
  }

  text(entry: number): string {
    return this.texts[entry]!;
  }

  reset(): void {
    this.slots.fill(-1);
    this.texts.length = 0;
    this.hashes.length = 0;
  }

  intern(text: string, start: number, end: number): number {
    // FNV-1a over the UTF-16 code units.
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    const length = end - start;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      if (entry === -1) {
        this.slots[slot] = this.texts.length;
        this.texts.push(text.slice(start, end));
        this.hashes.push(h);
        return this.texts.length - 1;
      }
      if (this.hashes[entry] !== h) continue;
      const known = this.texts[entry]!;
      if (known.length !== length) continue;
      let k = 0;
      while (k < length && known.charCodeAt(k) === text.charCodeAt(start + k)) k++;
      if (k === length) return entry;
    }
  }
}
