// Image folders for the CNN: PNG and JPEG decoding to grayscale, the area-average resize, and the folder layout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { decodeImage, readImageFolder, resizeGray } from '../../src/main/ingest/images.js';
import { mulberry32 } from '../../src/main/core/random.js';
import { tempDir } from '../helpers.js';

function pngOf(width: number, height: number, value: (x: number, y: number) => number, alpha: (x: number, y: number) => number = () => 255): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const v = value(x, y);
      png.data[o] = v;
      png.data[o + 1] = v;
      png.data[o + 2] = v;
      png.data[o + 3] = alpha(x, y);
    }
  }
  return PNG.sync.write(png);
}

let dir: { path: string; remove(): void };
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.remove());

describe('decodeImage and resizeGray', () => {
  it('keeps a 28 × 28 grayscale PNG pixel for pixel', () => {
    const random = mulberry32(5);
    const values = Array.from({ length: 28 * 28 }, () => Math.floor(random() * 256));
    const image = decodeImage(pngOf(28, 28, (x, y) => values[y * 28 + x] as number), 'a.png');
    expect([image.width, image.height]).toEqual([28, 28]);
    expect(Array.from(resizeGray(image, 28))).toEqual(values);
  });

  it('averages each output pixel over the source area it covers', () => {
    // 56 × 56 → 28 × 28: every output pixel is the mean of a 2 × 2 block (x + y·3 within the block, scaled).
    const image = decodeImage(pngOf(56, 56, (x, y) => (x % 2) * 10 + (y % 2) * 30 + x), 'b.png');
    const out = resizeGray(image, 28);
    for (let oy = 0; oy < 28; oy++) {
      for (let ox = 0; ox < 28; ox++) {
        const block = [0, 1].flatMap((dy) => [0, 1].map((dx) => dx * 10 + dy * 30 + 2 * ox + dx));
        expect(out[oy * 28 + ox]).toBe(Math.round(block.reduce((s, v) => s + v, 0) / 4));
      }
    }
    // Upscaling repeats pixels (each output area lies inside one source pixel).
    const up = resizeGray(decodeImage(pngOf(2, 2, (x, y) => (x + 2 * y) * 50), 'c.png'), 4);
    expect(Array.from(up)).toEqual([0, 0, 50, 50, 0, 0, 50, 50, 100, 100, 150, 150, 100, 100, 150, 150]);
  });

  it('composites transparency over black and reads colour as luminance', () => {
    const transparent = decodeImage(pngOf(2, 1, () => 200, (x) => (x === 0 ? 0 : 255)), 't.png');
    expect(Array.from(transparent.gray)).toEqual([0, 200]);
    const png = new PNG({ width: 1, height: 1 });
    png.data.set([255, 0, 0, 255]);
    expect(decodeImage(PNG.sync.write(png), 'red.png').gray[0]).toBeCloseTo(0.299 * 255, 3);
  });

  it('decodes JPEG close to the encoded values', () => {
    const width = 32;
    const data = Buffer.alloc(width * width * 4);
    for (let i = 0; i < width * width; i++) data.set([i % width * 8, i % width * 8, i % width * 8, 255], i * 4);
    const encoded = jpeg.encode({ data, width, height: width }, 95).data;
    const gray = decodeImage(encoded, 'g.jpg').gray;
    let worst = 0;
    for (let i = 0; i < gray.length; i++) worst = Math.max(worst, Math.abs((gray[i] as number) - (i % width) * 8));
    expect(worst).toBeLessThan(8);
  });

  it('names the file that is not an image', () => {
    expect(() => decodeImage(Buffer.from('not a png at all'), 'cats/broken.png')).toThrow(/cats\/broken\.png is not a readable PNG/);
    expect(() => decodeImage(Buffer.from('not a jpeg'), 'x.jpg')).toThrow(/x\.jpg is not a readable JPEG/);
  });
});

describe('readImageFolder', () => {
  it('reads one subfolder per class, in name order, skipping files that are not images', () => {
    const root = join(dir.path, 'digits');
    for (const [label, values] of [['seven', [7, 70]], ['one', [1]]] as const) {
      mkdirSync(join(root, label), { recursive: true });
      values.forEach((v, i) => writeFileSync(join(root, label, `${i}.png`), pngOf(28, 28, () => v)));
    }
    writeFileSync(join(root, 'one', 'notes.txt'), 'not an image');
    writeFileSync(join(root, 'README'), 'a file beside the class folders');
    const folder = readImageFolder(root, 28);
    expect(folder.count).toBe(3);
    expect(folder.labels).toEqual(['one', 'seven', 'seven']);
    expect([folder.pixels[0], folder.pixels[784], folder.pixels[2 * 784]]).toEqual([1, 7, 70]);
    expect(folder.pixels).toHaveLength(3 * 784);
  });

  it('explains the layout it needs', () => {
    const flat = join(dir.path, 'flat');
    mkdirSync(flat);
    writeFileSync(join(flat, 'a.png'), pngOf(4, 4, () => 1));
    expect(() => readImageFolder(flat, 28)).toThrow(/one subfolder per class/);
    expect(() => readImageFolder(join(dir.path, 'missing'), 28)).toThrow(/Cannot read the folder/);
    expect(() => readImageFolder(flat, 2)).toThrow(/from 4 to 256/);
  });
});
