/**
 * Workspace secrets for headless hosts (DESIGN.md §5): 32-byte keys in `<workspace>/keys/<name>.key`, the folder 0700
 * and each file 0600 — never in catalog.db, never logged. Also the node:crypto implementation of the privacy
 * engine's crypto primitives (HMAC-SHA-256, AES-256-GCM). catalog/ may not import core/, so the interface is declared
 * here and matches core/privacy's `PrivacyCrypto` structurally.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { XinzhiError } from '../../shared/model/errors.js';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const POSIX = process.platform !== 'win32';

/** Same method signatures as core/privacy/transforms.ts `PrivacyCrypto`. */
export interface NodePrivacyCrypto {
  hmacSha256(key: Uint8Array, data: string): Uint8Array;
  /** AES-256-GCM with a random 12-byte IV; returns base64 of iv(12) | ciphertext | tag(16). */
  encrypt(key: Uint8Array, plaintext: string): string;
  /** Throws E_INVALID_INPUT when the token is malformed, altered, or made under another key. */
  decrypt(key: Uint8Array, token: string): string;
}

export function keysDir(workspace: string): string {
  return join(workspace, 'keys');
}

export function keyPath(workspace: string, name: string): string {
  if (!KEY_NAME.test(name) || name.includes('..')) {
    throw new XinzhiError('E_INVALID_INPUT', 'A key name is 1–64 letters, digits, "_", "-" or "." and starts with a letter or digit', { name });
  }
  return join(keysDir(workspace), `${name}.key`);
}

/**
 * Wraps key files with an OS facility where a host has one (Electron's safeStorage: the OS keychain). Headless
 * hosts have none, and the 0600 file mode is the protection.
 */
export interface KeyProtector {
  readonly kind: string;
  protect(key: Buffer): Buffer;
  unprotect(data: Buffer): Buffer;
}

/** Marks a key file whose bytes went through a KeyProtector. */
const PROTECTED_MAGIC = Buffer.from('XZKP1\n');

function readKey(path: string, protector?: KeyProtector): Buffer {
  if (POSIX && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600); // tighten a key file someone loosened
  let key: Buffer = readFileSync(path);
  if (key.subarray(0, PROTECTED_MAGIC.length).equals(PROTECTED_MAGIC)) {
    if (!protector) {
      throw new XinzhiError('E_KEY_PROTECTED', `Key ${path} is protected by the desktop app's OS keychain`);
    }
    key = protector.unprotect(key.subarray(PROTECTED_MAGIC.length));
  }
  if (key.length !== KEY_BYTES) {
    throw new XinzhiError('E_INTERNAL', `Key file ${path} is damaged (${key.length} bytes, expected ${KEY_BYTES})`, { path });
  }
  return key;
}

function syncDir(dir: string): void {
  if (!POSIX) return;
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort: some file systems cannot fsync a directory.
  }
}

/**
 * The workspace key `name`, created on first use: 32 random bytes written to a 0600 temp file, fsynced, then linked
 * into place (link fails if another process got there first, whose key is then read back — two callers never end up
 * with different keys) or, where the file system has no hard links, renamed. Later calls re-read the file.
 */
export function loadOrCreateKey(workspace: string, name: string, protector?: KeyProtector): Buffer {
  const path = keyPath(workspace, name);
  const dir = keysDir(workspace);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (POSIX) chmodSync(dir, 0o700);
  try {
    return readKey(path, protector);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }

  const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const key = randomBytes(KEY_BYTES);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, protector ? Buffer.concat([PROTECTED_MAGIC, protector.protect(key)]) : key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (POSIX) chmodSync(tmp, 0o600); // the umask cannot widen it, but be explicit
    try {
      linkSync(tmp, path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return readKey(path, protector);
      renameSync(tmp, path); // no hard links here: rename is still atomic
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed
    }
  }
  syncDir(dir);
  return readKey(path, protector);
}

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new XinzhiError('E_INVALID_INPUT', `AES-256-GCM needs a ${KEY_BYTES}-byte key, got ${key.length}`);
}

function tokenError(): XinzhiError {
  return new XinzhiError('E_INVALID_INPUT', 'An encrypted value could not be decrypted: it was altered or made under another key');
}

export const nodePrivacyCrypto: NodePrivacyCrypto = {
  hmacSha256(key, data) {
    return createHmac('sha256', key).update(data, 'utf8').digest();
  },
  encrypt(key, plaintext) {
    checkKey(key);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
  },
  decrypt(key, token) {
    checkKey(key);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token)) throw tokenError();
    const raw = Buffer.from(token, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw tokenError();
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw tokenError();
    }
  },
};
