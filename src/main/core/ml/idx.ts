/**
 * Reader of IDX files (the MNIST format), pure: the caller reads the file and gunzips it.
 *
 * Layout: a 4-byte magic 0x00 0x00 <type> <rank>, then <rank> big-endian uint32 dimension sizes, then the
 * values, row-major. Only type 0x08 (unsigned byte) is read — MNIST's images are 0x00000803 (rank 3:
 * count × rows × cols) and its labels 0x00000801 (rank 1: count). Every malformed input is an E_INVALID_INPUT
 * XinzhiError that says what is wrong: bad magic (also gzip bytes not yet gunzipped), another value type,
 * truncated header or data, trailing bytes, images and labels that disagree.
 */
import { XinzhiError } from '../../../shared/model/errors.js';

export interface IdxArray {
  dims: number[];
  /** The values, row-major; a view into the input bytes (not a copy). */
  data: Uint8Array;
}

export interface IdxImagesAndLabels {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols grey levels 0–255, row-major (image, row, column). */
  pixels: Uint8Array;
  /** count class labels. */
  labels: Uint8Array;
}

const IDX_UBYTE = 0x08;
const TYPE_NAMES: Record<number, string> = { 0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;

function fail(what: string, issue: string): never {
  throw new XinzhiError('E_INVALID_INPUT', `${what}: ${issue}`, { path: what });
}

/** Parses an IDX array of unsigned bytes; `what` names it in errors ("IDX", "IDX images", …). */
export function parseIdx(bytes: Uint8Array, what = 'IDX'): IdxArray {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) fail(what, 'the bytes are gzip-compressed; gunzip them first');
  if (bytes.length < 4) fail(what, `truncated header: ${bytes.length} bytes, the magic number alone is 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2] as number;
  const rank = bytes[3] as number;
  if (bytes[0] !== 0 || bytes[1] !== 0 || TYPE_NAMES[type] === undefined) {
    fail(what, `bad magic number ${hex(magic, 8)}: an IDX file starts 0x0000 then a type byte (0x08 for unsigned bytes) and a rank byte`);
  }
  if (type !== IDX_UBYTE) fail(what, `values of type ${hex(type, 2)} (${TYPE_NAMES[type]}) are not supported; only 0x08 (unsigned byte) is`);
  if (rank === 0) fail(what, `bad magic number ${hex(magic, 8)}: rank 0`);
  const header = 4 + 4 * rank;
  if (bytes.length < header) fail(what, `truncated header: ${bytes.length} bytes, a rank-${rank} header needs ${header}`);
  const dims: number[] = [];
  let size = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    size *= d;
  }
  if (!Number.isSafeInteger(size)) fail(what, `dimensions ${dims.join(' × ')} are too large`);
  const have = bytes.length - header;
  if (have < size) fail(what, `truncated data: dimensions ${dims.join(' × ')} need ${size} bytes after the header, the file has ${have}`);
  if (have > size) fail(what, `${have - size} unexpected bytes after the ${size} data bytes of dimensions ${dims.join(' × ')}`);
  return { dims, data: bytes.subarray(header, header + size) };
}

/** MNIST-style images (rank 3, magic 0x00000803) and their labels (rank 1, magic 0x00000801), checked against each other. */
export function idxImagesAndLabels(images: Uint8Array, labels: Uint8Array): IdxImagesAndLabels {
  const img = parseIdx(images, 'IDX images');
  if (img.dims.length !== 3) fail('IDX images', `expected rank 3 (magic 0x00000803: count × rows × cols), got rank ${img.dims.length} (magic ${hex(0x800 + img.dims.length, 8)})`);
  const lab = parseIdx(labels, 'IDX labels');
  if (lab.dims.length !== 1) fail('IDX labels', `expected rank 1 (magic 0x00000801: count), got rank ${lab.dims.length} (magic ${hex(0x800 + lab.dims.length, 8)})`);
  const [count, rows, cols] = img.dims as [number, number, number];
  const labelCount = lab.dims[0] as number;
  if (count !== labelCount) fail('IDX labels', `count mismatch: ${count} images but ${labelCount} labels`);
  return { count, rows, cols, pixels: img.data, labels: lab.data };
}
