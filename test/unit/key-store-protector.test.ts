// Key files wrapped by an OS keychain (the desktop app's safeStorage): never the plain key on disk, readable only
// through the protector, and a clear refusal for a host without it.
import { describe, expect, it, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { keyPath, loadOrCreateKey, type KeyProtector } from '../../src/main/catalog/key-store.js';
import { tempDir } from '../helpers.js';

const ws = tempDir();
afterAll(() => ws.remove());

const protector: KeyProtector = {
  kind: 'test-keychain',
  protect: (key) => Buffer.from(key.map((b) => b ^ 0x5a)),
  unprotect: (data) => Buffer.from(data.map((b) => b ^ 0x5a)),
};

describe('protected key files', () => {
  it('stores the key only in protected form and reads it back through the protector', () => {
    const key = loadOrCreateKey(ws.path, 'pseudonymisation', protector);
    expect(key).toHaveLength(32);
    const onDisk = readFileSync(keyPath(ws.path, 'pseudonymisation'));
    expect(onDisk.includes(key)).toBe(false);
    expect(loadOrCreateKey(ws.path, 'pseudonymisation', protector).equals(key)).toBe(true);
  });

  it('refuses to read a protected key without the protector, with a clear error', () => {
    expect(() => loadOrCreateKey(ws.path, 'pseudonymisation')).toThrow(expect.objectContaining({ code: 'E_KEY_PROTECTED' }));
  });

  it('still reads a plain key created by a headless host', () => {
    const plain = loadOrCreateKey(ws.path, 'other');
    expect(loadOrCreateKey(ws.path, 'other', protector).equals(plain)).toBe(true);
  });
});
