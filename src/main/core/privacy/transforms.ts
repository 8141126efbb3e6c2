/**
 * Per-column privacy transformations: keep, drop, mask, keyed pseudonymisation (optionally reversible), AES-256-GCM
 * encryption, top/bottom coding and Laplace noise. Pure: the cryptographic primitives are injected (`PrivacyCrypto`;
 * the Node implementation is `nodePrivacyCrypto` in catalog/key-store.ts), so this module imports no node:*.
 *
 * Keys: the caller passes one 32-byte workspace key. Two sub-keys are derived from it with HMAC-SHA-256 and fixed
 * labels (`PSEUDONYM_KEY_LABEL`, `ENCRYPTION_KEY_LABEL`), so pseudonyms (HMAC outputs that users see) never reveal
 * anything about the key that encrypts values and re-identification mappings, and vice versa.
 */
import { mulberry32 } from '../random.js';
import { XinzhiError } from '../../../shared/model/errors.js';

export interface PrivacyCrypto {
  hmacSha256(key: Uint8Array, data: string): Uint8Array;
  /** AES-256-GCM; returns base64 of iv(12) | ciphertext | tag(16). */
  encrypt(key: Uint8Array, plaintext: string): string;
  /** Inverse of `encrypt`; throws when the token was altered or the key is wrong (GCM authentication). */
  decrypt(key: Uint8Array, token: string): string;
}

export type ColumnTransform =
  | { kind: 'keep' }
  | { kind: 'drop' }
  | { kind: 'mask'; keepFirst: number; keepLast: number; maskChar?: string }
  | { kind: 'pseudonymise'; length?: number; reversible?: boolean }
  | { kind: 'encrypt' }
  | { kind: 'topBottom'; bottom?: number; top?: number }
  | { kind: 'noise'; epsilon: number; sensitivity?: number; seed?: number };

export interface TransformContext {
  crypto: PrivacyCrypto;
  /** The workspace key (32 bytes); sub-keys are derived from it. */
  key: Uint8Array;
}

export type CellValue = string | number | null;

/** One entry per distinct original value of a reversibly pseudonymised column. */
export interface PseudonymMapping {
  pseudonym: string;
  /** AES-256-GCM token (base64 iv | ciphertext | tag) of the original value, under the derived encryption key. */
  token: string;
}

export interface TransformResult {
  values: CellValue[];
  /** Only for `pseudonymise` with `reversible: true`; in first-occurrence order, one entry per pseudonym. */
  mapping?: PseudonymMapping[];
}

export const PSEUDONYM_KEY_LABEL = 'xinzhi/privacy/pseudonymise/v1';
export const ENCRYPTION_KEY_LABEL = 'xinzhi/privacy/encrypt/v1';
export const DEFAULT_PSEUDONYM_LENGTH = 16;

function invalid(message: string, params?: Record<string, string | number | null>): XinzhiError {
  return new XinzhiError('E_INVALID_INPUT', message, params);
}

/** The pseudonymisation and encryption sub-keys of a workspace key. */
export function deriveKeys(ctx: TransformContext): { pseudonymKey: Uint8Array; encryptionKey: Uint8Array } {
  if (ctx.key.length < 16) throw invalid('The privacy key is too short (at least 16 bytes, 32 expected)');
  return {
    pseudonymKey: ctx.crypto.hmacSha256(ctx.key, PSEUDONYM_KEY_LABEL),
    encryptionKey: ctx.crypto.hmacSha256(ctx.key, ENCRYPTION_KEY_LABEL),
  };
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

function checkLength(length: number | undefined): number {
  const n = length ?? DEFAULT_PSEUDONYM_LENGTH;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw invalid(`Pseudonym length must be an integer from 1 to 64, got ${n}`, { length: n });
  return n;
}

function pseudonymWith(pseudonymKey: Uint8Array, crypto: PrivacyCrypto, value: string, length: number): string {
  return toHex(crypto.hmacSha256(pseudonymKey, value)).slice(0, length);
}

/**
 * The pseudonym of one value: lower-case hex of HMAC-SHA-256(pseudonymKey, value) truncated to `length` characters
 * (default 16 = 64 bits). The same value and workspace key give the same pseudonym in any dataset; numbers are
 * pseudonymised as their string form, so 42 and "42" agree.
 */
export function pseudonymise(value: string | number, ctx: TransformContext, length?: number): string {
  return pseudonymWith(deriveKeys(ctx).pseudonymKey, ctx.crypto, String(value), checkLength(length));
}

/** Encrypts one value (as its string form) under the derived encryption key. */
export function encryptValue(value: string | number, ctx: TransformContext): string {
  return ctx.crypto.encrypt(deriveKeys(ctx).encryptionKey, String(value));
}

/** Decrypts a token made by `encryptValue` or the `encrypt` transform; throws if it was altered. */
export function decryptValue(token: string, ctx: TransformContext): string {
  return ctx.crypto.decrypt(deriveKeys(ctx).encryptionKey, token);
}

/**
 * Authorised re-identification: the original value behind `pseudonym` in a reversible mapping, or null if the
 * mapping has no such pseudonym. Throws if the token was altered or `ctx` holds another key.
 */
export function reidentify(pseudonym: string, mapping: readonly PseudonymMapping[], ctx: TransformContext): string | null {
  const entry = mapping.find((m) => m.pseudonym === pseudonym);
  return entry ? decryptValue(entry.token, ctx) : null;
}

/**
 * Masks a value, keeping its first `keepFirst` and last `keepLast` characters (Unicode code points) and replacing
 * each other character with `maskChar`: '13812341234' (3, 4) → '138****1234'. A value no longer than
 * keepFirst + keepLast would be shown whole, so it is masked entirely instead.
 */
export function maskValue(value: string, keepFirst: number, keepLast: number, maskChar = '*'): string {
  const chars = Array.from(value);
  if (chars.length <= keepFirst + keepLast) return maskChar.repeat(chars.length);
  const hidden = chars.length - keepFirst - keepLast;
  return chars.slice(0, keepFirst).join('') + maskChar.repeat(hidden) + chars.slice(chars.length - keepLast).join('');
}

export { mulberry32 } from '../random.js';

/**
 * One draw from Laplace(0, scale): the difference of two exponential draws with mean `scale`. Its density is
 * exp(−|x|/b) / 2b with b = scale, so E|x| = b and Var x = 2b².
 */
export function laplaceNoise(scale: number, rng: () => number): number {
  // 1 − u is in (0, 1], so the logarithms are finite.
  const e1 = -Math.log(1 - rng());
  const e2 = -Math.log(1 - rng());
  return scale * (e1 - e2);
}

/** A cell as a number for the numeric transforms; null stays null, anything non-numeric is an error. */
function numericCell(v: CellValue, kind: string): number | null {
  if (v === null) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new XinzhiError('E_TYPE_MISMATCH', `${kind} needs finite numbers, got ${v}`, { value: String(v) });
    return v;
  }
  const t = v.trim();
  const n = t === '' ? NaN : Number(t);
  if (!Number.isFinite(n)) throw new XinzhiError('E_TYPE_MISMATCH', `${kind} needs numbers; a value is not numeric`, { kind });
  return n;
}

/** Keeps the cell's type: numbers stay numbers, numeric strings become the string of the new number. */
function sameType(original: string | number, n: number): string | number {
  return typeof original === 'number' ? n : String(n);
}

function checkNonNegativeInteger(n: number, name: string): void {
  if (!Number.isInteger(n) || n < 0) throw invalid(`${name} must be a non-negative integer, got ${n}`, { [name]: n });
}

/**
 * Applies one column transformation. Nulls stay null; the output has one value per input value.
 * - keep: the values unchanged. drop: all nulls — the caller removes the column; no raw value survives if it does not.
 * - mask: `maskValue` on each value's string form.
 * - pseudonymise: `pseudonymise` on each value; with `reversible`, also `mapping` (pseudonym → AES-GCM token of the
 *   original), for the caller to store and `reidentify` later. Two values truncated to the same pseudonym make a
 *   reversible mapping ambiguous: that is an E_CONFLICT (choose a longer `length`).
 * - encrypt: an AES-256-GCM token per value (random IV, so equal values give different tokens); `decryptValue` inverts it.
 * - topBottom: numbers clamped to [bottom, top] (either bound optional).
 * - noise: the Laplace mechanism, value + Laplace(b) with scale b = sensitivity / ε. `sensitivity` defaults to the
 *   column's range (max − min), which is itself computed from the data — state a sensitivity from the column's
 *   domain for a formal ε-DP guarantee. The noise comes from mulberry32 seeded with `seed` (or a random seed), which
 *   makes tests reproducible but is not a cryptographic generator; like most textbook implementations it samples in
 *   floating point, without the snapping defence against Mironov's (2012) least-significant-bit attack.
 * Numeric transforms keep each cell's type (number or numeric string) and reject non-numeric values (E_TYPE_MISMATCH).
 */
export function applyTransform(values: readonly CellValue[], t: ColumnTransform, ctx: TransformContext): TransformResult {
  switch (t.kind) {
    case 'keep':
      return { values: values.slice() };
    case 'drop':
      return { values: values.map(() => null) };
    case 'mask': {
      checkNonNegativeInteger(t.keepFirst, 'keepFirst');
      checkNonNegativeInteger(t.keepLast, 'keepLast');
      const maskChar = t.maskChar ?? '*';
      if (Array.from(maskChar).length !== 1) throw invalid('maskChar must be one character');
      return { values: values.map((v) => (v === null ? null : maskValue(String(v), t.keepFirst, t.keepLast, maskChar))) };
    }
    case 'pseudonymise': {
      const length = checkLength(t.length);
      const { pseudonymKey, encryptionKey } = deriveKeys(ctx);
      const cache = new Map<string, string>();
      const originalOf = new Map<string, string>();
      const mapping: PseudonymMapping[] = [];
      const out = values.map((v) => {
        if (v === null) return null;
        const s = String(v);
        let p = cache.get(s);
        if (p === undefined) {
          p = pseudonymWith(pseudonymKey, ctx.crypto, s, length);
          cache.set(s, p);
          if (t.reversible) {
            const seen = originalOf.get(p);
            if (seen !== undefined && seen !== s) {
              throw new XinzhiError('E_CONFLICT', `Two values share the pseudonym ${p}; use a longer pseudonym length`, { length, reason: `two values share the pseudonym ${p}: choose a longer pseudonym length (now ${length})` });
            }
            originalOf.set(p, s);
            mapping.push({ pseudonym: p, token: ctx.crypto.encrypt(encryptionKey, s) });
          }
        }
        return p;
      });
      return t.reversible ? { values: out, mapping } : { values: out };
    }
    case 'encrypt': {
      const { encryptionKey } = deriveKeys(ctx);
      return { values: values.map((v) => (v === null ? null : ctx.crypto.encrypt(encryptionKey, String(v)))) };
    }
    case 'topBottom': {
      const { bottom, top } = t;
      if (bottom !== undefined && !Number.isFinite(bottom)) throw invalid('bottom must be a finite number');
      if (top !== undefined && !Number.isFinite(top)) throw invalid('top must be a finite number');
      if (bottom !== undefined && top !== undefined && bottom > top) throw invalid(`bottom (${bottom}) is above top (${top})`, { bottom, top });
      return {
        values: values.map((v) => {
          const n = numericCell(v, 'Top/bottom coding');
          if (n === null || v === null) return null;
          let c = n;
          if (bottom !== undefined && c < bottom) c = bottom;
          if (top !== undefined && c > top) c = top;
          return c === n ? v : sameType(v, c);
        }),
      };
    }
    case 'noise': {
      if (!Number.isFinite(t.epsilon) || t.epsilon <= 0) throw invalid(`epsilon must be a positive number, got ${t.epsilon}`, { epsilon: t.epsilon });
      const nums = values.map((v) => numericCell(v, 'Laplace noise'));
      let sensitivity = t.sensitivity;
      if (sensitivity === undefined) {
        let min = Infinity;
        let max = -Infinity;
        for (const n of nums) {
          if (n === null) continue;
          if (n < min) min = n;
          if (n > max) max = n;
        }
        sensitivity = max >= min ? max - min : 0;
      }
      if (!Number.isFinite(sensitivity) || sensitivity < 0) throw invalid(`sensitivity must be a non-negative number, got ${sensitivity}`);
      const scale = sensitivity / t.epsilon;
      const rng = mulberry32(t.seed ?? Math.floor(Math.random() * 4294967296));
      return {
        values: values.map((v, i) => {
          const n = nums[i];
          if (v === null || n === null || n === undefined) return null;
          return sameType(v, n + laplaceNoise(scale, rng));
        }),
      };
    }
  }
}
