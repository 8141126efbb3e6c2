// The IDX (MNIST) reader: the real MNIST test files from ../shared/datasets, and every malformed input.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { idxImagesAndLabels, parseIdx } from '../../src/main/core/ml/idx.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const mnistDir = join(process.env.XINZHI_DATASETS ?? resolve(repoRoot, '..', 'shared', 'datasets'), 'mnist_test');
const readGz = (name: string) => new Uint8Array(gunzipSync(readFileSync(join(mnistDir, name))));

/** An IDX file of unsigned bytes: magic 0x0000 08 <rank>, big-endian dims, then the data. */
function idx(dims: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

function thrown(f: () => unknown): XinzhiError {
  try {
    f();
  } catch (err) {
    if (err instanceof XinzhiError) return err;
    throw err;
  }
  throw new Error('expected a throw');
}

describe('MNIST test set (real files)', () => {
  it('parses 10,000 images 28×28 and their labels; known label counts; first label 7', () => {
    const images = readGz('t10k-images-idx3-ubyte.gz');
    const labels = readGz('t10k-labels-idx1-ubyte.gz');
    expect(images.length).toBe(16 + 10_000 * 28 * 28);
    const img = parseIdx(images);
    expect(img.dims).toEqual([10_000, 28, 28]);
    expect(img.data.length).toBe(7_840_000);
    expect(parseIdx(labels).dims).toEqual([10_000]);

    const m = idxImagesAndLabels(images, labels);
    expect([m.count, m.rows, m.cols]).toEqual([10_000, 28, 28]);
    expect(m.pixels.length).toBe(10_000 * 28 * 28);
    expect(m.labels.length).toBe(10_000);
    expect(m.labels[0]).toBe(7);
    const histogram = new Array<number>(10).fill(0);
    for (const l of m.labels) histogram[l] = (histogram[l] as number) + 1;
    expect(histogram.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(histogram).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // Grey levels: a border pixel of the first image is background, and the image has ink.
    expect(m.pixels[0]).toBe(0);
    const first = m.pixels.subarray(0, 784);
    expect(Math.max(...first)).toBe(255);
  });
});

describe('parseIdx', () => {
  it('reads rank 1 to 3 arrays, row-major, as a view of the input', () => {
    const bytes = idx([2, 3], [1, 2, 3, 4, 5, 6]);
    const a = parseIdx(bytes);
    expect(a.dims).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.data.buffer).toBe(bytes.buffer);
    expect(parseIdx(idx([0, 28, 28], [])).dims).toEqual([0, 28, 28]);
    // A view into a larger buffer (byteOffset ≠ 0) is read from its own start.
    const padded = new Uint8Array(5 + bytes.length);
    padded.set(bytes, 5);
    expect(Array.from(parseIdx(padded.subarray(5)).data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects bad magic, gzip bytes, other value types, truncation and trailing bytes with E_INVALID_INPUT naming the problem', () => {
    const bad = idx([2], [1, 2]);
    bad[0] = 0x01;
    expect(thrown(() => parseIdx(bad)).message).toMatch(/bad magic number 0x01000801/);
    expect(thrown(() => parseIdx(idx([2], [1, 2], 0x07))).message).toMatch(/bad magic number 0x00000701/);
    expect(thrown(() => parseIdx(new TextEncoder().encode('hello world!'))).message).toMatch(/bad magic number 0x68656c6c/);
    expect(thrown(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]))).message).toMatch(/gzip-compressed; gunzip them first/);
    expect(thrown(() => parseIdx(idx([2], [0, 0, 0, 0, 0, 0, 0, 0], 0x0d))).message).toMatch(/type 0x0d \(float32\) are not supported/);
    expect(thrown(() => parseIdx(idx([], []))).message).toMatch(/rank 0/);
    expect(thrown(() => parseIdx(new Uint8Array([0, 0, 8]))).message).toMatch(/truncated header: 3 bytes/);
    expect(thrown(() => parseIdx(new Uint8Array(0))).message).toMatch(/truncated header: 0 bytes/);
    expect(thrown(() => parseIdx(idx([3, 28, 28], []).subarray(0, 12))).message).toMatch(/truncated header: 12 bytes, a rank-3 header needs 16/);
    const e = thrown(() => parseIdx(idx([3, 2, 2], [1, 2, 3, 4, 5, 6, 7])));
    expect(e.code).toBe('E_INVALID_INPUT');
    expect(e.message).toBe('IDX: truncated data: dimensions 3 × 2 × 2 need 12 bytes after the header, the file has 7');
    expect(thrown(() => parseIdx(idx([2], [1, 2, 3]))).message).toMatch(/1 unexpected bytes after the 2 data bytes/);
  });
});

describe('idxImagesAndLabels', () => {
  const images = idx([3, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const labels = idx([3], [4, 0, 9]);

  it('pairs images with labels', () => {
    const m = idxImagesAndLabels(images, labels);
    expect(m).toMatchObject({ count: 3, rows: 2, cols: 2 });
    expect(Array.from(m.pixels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(Array.from(m.labels)).toEqual([4, 0, 9]);
  });

  it('rejects a count mismatch, swapped files, wrong ranks and truncated files, saying which file', () => {
    const mismatch = thrown(() => idxImagesAndLabels(images, idx([2], [4, 0])));
    expect(mismatch.code).toBe('E_INVALID_INPUT');
    expect(mismatch.message).toBe('IDX labels: count mismatch: 3 images but 2 labels');
    expect(thrown(() => idxImagesAndLabels(labels, images)).message).toMatch(/^IDX images: expected rank 3 \(magic 0x00000803: count × rows × cols\), got rank 1 \(magic 0x00000801\)/);
    expect(thrown(() => idxImagesAndLabels(images, idx([3, 1], [1, 2, 3]))).message).toMatch(/^IDX labels: expected rank 1.*got rank 2 \(magic 0x00000802\)/);
    expect(thrown(() => idxImagesAndLabels(images.subarray(0, images.length - 1), labels)).message).toMatch(/^IDX images: truncated data: dimensions 3 × 2 × 2 need 12 bytes after the header, the file has 11/);
    expect(thrown(() => idxImagesAndLabels(images, labels.subarray(0, 10))).message).toMatch(/^IDX labels: truncated data/);
    const badMagic = labels.slice();
    badMagic[1] = 0x08;
    expect(thrown(() => idxImagesAndLabels(images, badMagic)).message).toMatch(/^IDX labels: bad magic number 0x00080801/);
  });
});
