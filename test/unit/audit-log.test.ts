// The tamper-evident audit log on a real catalog.db: the chain verifies, and any edit, removal or reordering breaks it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCatalog, type Db } from '../../src/main/catalog/connection.js';
import { appendAudit, canonicalJson, entryHash, GENESIS_HASH, listAudit, verifyAudit } from '../../src/main/catalog/audit-log.js';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xinzhi-audit-'));
  db = openCatalog(dir);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function appendThree(): void {
  appendAudit(db, { actor: 'cli', action: 'dataset.import', target: 'ds_1', details: { file: 'a.csv', rows: 10 } });
  appendAudit(db, { actor: 'cli', action: 'dataset.clean', target: 'ds_1', details: { op: 'dedupe', removed: 2, columns: ['a', 'b'] } });
  appendAudit(db, { actor: 'ui', action: 'dataset.export', target: null, details: {} });
}

function dropTriggers(): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

describe('appendAudit', () => {
  it('chains entries from the genesis hash with SHA-256(prev + canonical JSON)', () => {
    const first = appendAudit(db, { actor: 'cli', action: 'dataset.import', target: 'ds_1', details: { b: 2, a: 1 } });
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS_HASH);
    const body = canonicalJson({ seq: 1, ts: first.ts, actor: 'cli', action: 'dataset.import', target: 'ds_1', details: { a: 1, b: 2 } });
    expect(first.hash).toBe(createHash('sha256').update(GENESIS_HASH + body).digest('hex'));
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const second = appendAudit(db, { actor: 'ui', action: 'dataset.rename', target: null, details: {} });
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(second.hash).toBe(entryHash(first.hash, second));
    expect(new Date(second.ts).toString()).not.toBe('Invalid Date');
  });

  it('stores what it returns', () => {
    appendThree();
    const { entries, total } = listAudit(db, 0, 10);
    expect(total).toBe(3);
    expect(entries.map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(entries[1]).toMatchObject({ actor: 'cli', action: 'dataset.clean', target: 'ds_1', details: { op: 'dedupe', removed: 2, columns: ['a', 'b'] } });
    expect(listAudit(db, 1, 1).entries.map((e) => e.seq)).toEqual([2]);
  });
});

describe('verifyAudit', () => {
  it('accepts an empty log and an intact chain', () => {
    expect(verifyAudit(db)).toEqual({ ok: true, entries: 0, brokenAt: null, headHash: null });
    appendThree();
    const last = db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string };
    expect(verifyAudit(db)).toEqual({ ok: true, entries: 3, brokenAt: null, headHash: last.hash });
  });

  it('verifies after any details, actors and targets (storage round-trips the hashed form)', () => {
    const details = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined), fc.double()), { maxKeys: 5 });
    fc.assert(
      fc.property(fc.array(fc.record({ actor: fc.string({ maxLength: 5 }), action: fc.string({ maxLength: 8 }), target: fc.option(fc.string({ maxLength: 5 })), details }), { minLength: 1, maxLength: 4 }), (inputs) => {
        for (const input of inputs) appendAudit(db, input);
        const result = verifyAudit(db);
        expect(result).toMatchObject({ ok: true, brokenAt: null });
      }),
      { numRuns: 40 },
    );
  });

  it('survives closing and reopening the catalog', () => {
    appendThree();
    db.close();
    db = openCatalog(dir);
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 3, brokenAt: null });
    appendAudit(db, { actor: 'cli', action: 'x', target: null, details: { n: 1 } });
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 4, brokenAt: null });
  });

  it('refuses UPDATE and DELETE while the triggers are in place', () => {
    appendThree();
    expect(() => db.prepare("UPDATE audit_log SET details = '{}' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 3, brokenAt: null });
  });

  it('finds edited details', () => {
    appendThree();
    dropTriggers();
    db.prepare(`UPDATE audit_log SET details = ? WHERE seq = 2`).run(canonicalJson({ op: 'dedupe', removed: 3, columns: ['a', 'b'] }));
    expect(verifyAudit(db)).toMatchObject({ ok: false, entries: 3, brokenAt: 2 });
  });

  it('finds an edited actor, action, target or timestamp', () => {
    appendThree();
    dropTriggers();
    for (const [column, value] of [['actor', 'root'], ['action', 'dataset.delete'], ['target', 'ds_2'], ['ts', '2000-01-01T00:00:00.000Z']] as const) {
      const original = db.prepare(`SELECT ${column} AS v FROM audit_log WHERE seq = 2`).get() as { v: string };
      db.prepare(`UPDATE audit_log SET ${column} = ? WHERE seq = 2`).run(value);
      expect(verifyAudit(db), column).toMatchObject({ ok: false, entries: 3, brokenAt: 2 });
      db.prepare(`UPDATE audit_log SET ${column} = ? WHERE seq = 2`).run(original.v);
      expect(verifyAudit(db).ok).toBe(true);
    }
  });

  it('finds a deleted entry', () => {
    appendThree();
    dropTriggers();
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    // The chain breaks where the missing entry was.
    expect(verifyAudit(db)).toMatchObject({ ok: false, entries: 2, brokenAt: 2 });
  });

  it('finds a deleted first entry', () => {
    appendThree();
    dropTriggers();
    db.prepare('DELETE FROM audit_log WHERE seq = 1').run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, entries: 2, brokenAt: 1 });
  });

  it('finds a deleted entry even when the rest is renumbered', () => {
    appendThree();
    dropTriggers();
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    db.prepare('UPDATE audit_log SET seq = 2 WHERE seq = 3').run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, entries: 2, brokenAt: 2 });
  });

  it('finds a changed hash, and a changed link', () => {
    appendThree();
    dropTriggers();
    const { hash } = db.prepare('SELECT hash FROM audit_log WHERE seq = 2').get() as { hash: string };
    const forged = (hash[0] === 'a' ? 'b' : 'a') + hash.slice(1);
    db.prepare('UPDATE audit_log SET hash = ? WHERE seq = 2').run(forged);
    expect(verifyAudit(db)).toMatchObject({ ok: false, entries: 3, brokenAt: 2 });
    db.prepare('UPDATE audit_log SET hash = ? WHERE seq = 2').run(hash);
    db.prepare('UPDATE audit_log SET prev_hash = ? WHERE seq = 2').run(GENESIS_HASH);
    expect(verifyAudit(db)).toMatchObject({ ok: false, entries: 3, brokenAt: 2 });
  });

  it('finds an entry rewritten with a recomputed own hash (the next link breaks)', () => {
    appendThree();
    dropTriggers();
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = 2').get() as { ts: string; actor: string; action: string; target: string | null; prev_hash: string };
    const details = { op: 'dedupe', removed: 99, columns: ['a', 'b'] };
    const hash = entryHash(row.prev_hash, { seq: 2, ts: row.ts, actor: row.actor, action: row.action, target: row.target, details });
    db.prepare('UPDATE audit_log SET details = ?, hash = ? WHERE seq = 2').run(canonicalJson(details), hash);
    expect(verifyAudit(db)).toMatchObject({ ok: false, entries: 3, brokenAt: 3 });
  });

  it('finds details that are not JSON', () => {
    appendThree();
    dropTriggers();
    db.prepare("UPDATE audit_log SET details = '{not json' WHERE seq = 2").run();
    expect(verifyAudit(db)).toMatchObject({ ok: false, entries: 3, brokenAt: 2 });
  });

  it('finds swapped entries', () => {
    appendThree();
    dropTriggers();
    db.exec('UPDATE audit_log SET seq = 100 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 100;');
    expect(verifyAudit(db)).toMatchObject({ ok: false, entries: 3, brokenAt: 2 });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(canonicalJson([undefined, 'x'])).toBe('[null,"x"]');
    expect(canonicalJson('中"文')).toBe('"中\\"文"');
    expect(canonicalJson(null)).toBe('null');
  });

  it('is independent of key order and equal to JSON for the same data', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, fc.integer(), (value, seed) => {
        const shuffled = shuffleKeys(value, seed);
        const canonical = canonicalJson(value);
        expect(canonicalJson(shuffled)).toBe(canonical);
        expect(JSON.parse(canonical)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });
});

/** The same value with every object's keys in a different (seeded) order. */
function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => shuffleKeys(v, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  let s = seed;
  for (let i = entries.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.reverse().map(([k, v]) => [k, shuffleKeys(v, seed + 7)]));
}
