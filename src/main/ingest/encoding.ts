/** Detects a text file's encoding from its first bytes: BOMs, UTF-16 without BOM, UTF-8, else GB18030; refuses binaries. */
import type { Encoding } from '../../shared/model/catalog.js';
import { XinzhiError } from '../../shared/model/errors.js';

export type ConcreteEncoding = Exclude<Encoding, 'auto'>;

export interface EncodingGuess {
  encoding: ConcreteEncoding;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

function bomOf(sample: Uint8Array): EncodingGuess | null {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return null;
}

/** UTF-16 text of mostly ASCII/CJK has zero bytes concentrated on one parity. */
function utf16WithoutBom(sample: Uint8Array): ConcreteEncoding | null {
  const n = Math.min(sample.length, 1 << 16) & ~1;
  if (n < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) zeroEven++;
    if (sample[i + 1] === 0) zeroOdd++;
  }
  const half = n / 2;
  if (zeroOdd > half * 0.3 && zeroEven < half * 0.05) return 'utf-16le';
  if (zeroEven > half * 0.3 && zeroOdd < half * 0.05) return 'utf-16be';
  return null;
}

function looksBinary(sample: Uint8Array): boolean {
  const n = Math.min(sample.length, 1 << 16);
  let control = 0;
  let nul = 0;
  for (let i = 0; i < n; i++) {
    const b = sample[i]!;
    if (b === 0) nul++;
    else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  // A stray NUL in text is reported later with its line; many NULs or control bytes mean a binary format.
  return nul > 8 || nul + control > Math.max(8, n * 0.01);
}

/** True when `bytes` decode as `encoding`, ignoring a multi-byte sequence cut at the end of the sample. */
function decodes(bytes: Uint8Array, encoding: string, isComplete: boolean): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: !isComplete });
    return true;
  } catch {
    return false;
  }
}

export function detectEncoding(sample: Uint8Array, isCompleteFile: boolean, fileLabel: string): EncodingGuess {
  const bom = bomOf(sample);
  if (bom) return bom;
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  if (looksBinary(sample)) throw new XinzhiError('E_FILE_BINARY', `${fileLabel} looks like a binary file`, { file: fileLabel });
  if (decodes(sample, 'utf-8', isCompleteFile)) return { encoding: 'utf-8', bomLength: 0 };
  if (decodes(sample, 'gb18030', isCompleteFile)) return { encoding: 'gb18030', bomLength: 0 };
  throw new XinzhiError('E_ENCODING', `${fileLabel}: not valid UTF-8, GB18030 or UTF-16`, { file: fileLabel, encoding: 'UTF-8 / GB18030 / UTF-16', line: 1 });
}

/** The BOM length to skip when the user names the encoding explicitly. */
export function bomLengthFor(sample: Uint8Array, encoding: ConcreteEncoding): number {
  const bom = bomOf(sample);
  if (!bom) return 0;
  const sameFamily = bom.encoding === encoding || (bom.encoding === 'utf-8' && encoding === 'utf-8');
  return sameFamily ? bom.bomLength : 0;
}
