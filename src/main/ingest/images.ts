/**
 * Images for the CNN from a folder: one subfolder per class (its name is the label), PNG or JPEG files in it
 * (pngjs and jpeg-js, pure JavaScript). Each image becomes size × size grayscale pixels 0…255: luminance
 * 0.299 R + 0.587 G + 0.114 B, transparency composited over black (as MNIST draws light strokes on black), then
 * an area-average resize (each output pixel the mean of the source area it covers), so a 28 × 28 image is kept as is.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { PNG as PngClass } from 'pngjs';
import { XinzhiError } from '../../shared/model/errors.js';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);
/** Largest decoded image (pixels) accepted, so one huge file cannot exhaust memory. */
const MAX_PIXELS = 40_000_000;

type JpegJs = typeof import('jpeg-js');
let codecs: { PNG: typeof PngClass; jpeg: JpegJs } | undefined;

/** pngjs and jpeg-js load on first use, so the CLI's start-up (every command, a CSV import too) does not pay for them. */
function imageCodecs(): { PNG: typeof PngClass; jpeg: JpegJs } {
  if (!codecs) {
    // The ESM bundles have import.meta.url, the Electron CommonJS one __filename.
    const load = createRequire(typeof __filename !== 'undefined' ? __filename : import.meta.url);
    codecs = { PNG: (load('pngjs') as typeof import('pngjs')).PNG, jpeg: load('jpeg-js') as JpegJs };
  }
  return codecs;
}

export interface GrayImage {
  width: number;
  height: number;
  /** Row-major luminance 0…255. */
  gray: Float32Array;
}

/** Decodes a PNG or JPEG file's bytes to grayscale; a file that is neither, or is damaged, is E_INVALID_INPUT naming it. */
export function decodeImage(bytes: Uint8Array, fileName: string): GrayImage {
  const ext = extname(fileName).toLowerCase();
  let width: number;
  let height: number;
  let rgba: Uint8Array;
  try {
    if (ext === '.png') {
      const png = imageCodecs().PNG.sync.read(Buffer.from(bytes));
      ({ width, height } = png);
      rgba = png.data;
    } else {
      const img = imageCodecs().jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6 });
      ({ width, height } = img);
      rgba = img.data;
    }
  } catch (err) {
    throw new XinzhiError('E_INVALID_INPUT', `${fileName} is not a readable ${ext === '.png' ? 'PNG' : 'JPEG'} image: ${err instanceof Error ? err.message : String(err)}`, { file: fileName });
  }
  if (width * height > MAX_PIXELS) throw new XinzhiError('E_INVALID_INPUT', `${fileName} has ${width} × ${height} pixels; at most ${MAX_PIXELS} are read`, { file: fileName });
  const gray = new Float32Array(width * height);
  for (let i = 0; i < gray.length; i++) {
    const o = i * 4;
    const alpha = (rgba[o + 3] as number) / 255;
    gray[i] = (0.299 * (rgba[o] as number) + 0.587 * (rgba[o + 1] as number) + 0.114 * (rgba[o + 2] as number)) * alpha;
  }
  return { width, height, gray };
}

/** Area-average resize to size × size, rounded to integers 0…255. */
export function resizeGray(image: GrayImage, size: number): Uint8Array {
  const { width, height, gray } = image;
  const out = new Uint8Array(size * size);
  const sx = width / size;
  const sy = height / size;
  for (let oy = 0; oy < size; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < size; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      let sum = 0;
      let area = 0;
      for (let y = Math.floor(y0); y < Math.min(height, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(width, Math.ceil(x1)); x++) {
          const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
          sum += w * (gray[y * width + x] as number);
          area += w;
        }
      }
      out[oy * size + ox] = Math.round(Math.min(255, Math.max(0, sum / area)));
    }
  }
  return out;
}

export interface ImageFolder {
  count: number;
  size: number;
  /** The class of each image: its subfolder's name. */
  labels: string[];
  /** count × size × size pixels. */
  pixels: Uint8Array;
}

/** Reads `folder/<class>/*.png|jpg|jpeg` (subfolders in name order, files in name order); other files are skipped. */
export function readImageFolder(folder: string, size: number): ImageFolder {
  if (!Number.isInteger(size) || size < 4 || size > 256) throw new XinzhiError('E_INVALID_INPUT', 'The image size must be an integer from 4 to 256', { path: 'size' });
  let entries: string[];
  try {
    entries = readdirSync(folder).sort();
  } catch (err) {
    throw new XinzhiError('E_FILE_NOT_FOUND', `Cannot read the folder ${folder}: ${err instanceof Error ? err.message : String(err)}`, { file: folder });
  }
  const classes = entries.filter((name) => statSync(join(folder, name)).isDirectory());
  if (classes.length < 2) {
    throw new XinzhiError('E_INVALID_INPUT', `${folder} needs one subfolder per class (at least two), each holding that class's PNG or JPEG images`, { file: folder });
  }
  const labels: string[] = [];
  const images: Uint8Array[] = [];
  for (const label of classes) {
    const dir = join(folder, label);
    for (const file of readdirSync(dir).sort()) {
      if (!IMAGE_EXTENSIONS.has(extname(file).toLowerCase())) continue;
      images.push(resizeGray(decodeImage(readFileSync(join(dir, file)), join(label, file)), size));
      labels.push(label);
    }
  }
  if (images.length === 0) throw new XinzhiError('E_INVALID_INPUT', `No PNG or JPEG images in the subfolders of ${folder}`, { file: folder });
  const pixels = new Uint8Array(images.length * size * size);
  images.forEach((img, i) => pixels.set(img, i * size * size));
  return { count: images.length, size, labels, pixels };
}
