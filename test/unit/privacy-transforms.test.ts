// Per-column privacy transforms, hierarchy builders and the workspace key store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chmodSync, existsSync, mkdtempSync, writeFileSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import {
  applyTransform,
  decryptValue,
  encryptValue,
  laplaceNoise,
  maskValue,
  mulberry32,
  pseudonymise,
  reidentify,
  type TransformContext,
} from '../../src/main/core/privacy/transforms.js';
import { dateHierarchy, intervalHierarchy, prefixHierarchy } from '../../src/main/core/privacy/hierarchy-builders.js';
import { encodeColumn, validateHierarchy, type Hierarchy } from '../../src/main/core/privacy/hierarchy.js';
import { keyPath, loadOrCreateKey, nodePrivacyCrypto } from '../../src/main/catalog/key-store.js';
import { openCatalog } from '../../src/main/catalog/connection.js';
import { appendAudit } from '../../src/main/catalog/audit-log.js';

const keyA = new Uint8Array(32).map((_, i) => i + 1);
const keyB = new Uint8Array(32).map((_, i) => 200 - i);
const ctxA: TransformContext = { crypto: nodePrivacyCrypto, key: keyA };
const ctxB: TransformContext = { crypto: nodePrivacyCrypto, key: keyB };

const people = ['13812341234', '110105194912310021', '张三', 'alice@example.com', '13900001111', '440301198801012345'];

function flipByte(token: string, index: number): string {
  const raw = Buffer.from(token, 'base64');
  const i = ((index % raw.length) + raw.length) % raw.length;
  raw[i] = raw[i]! ^ 0x01;
  return raw.toString('base64');
}

describe('mask', () => {
  it('keeps the first and last characters of phones and ID numbers', () => {
    expect(applyTransform(['13812341234', null], { kind: 'mask', keepFirst: 3, keepLast: 4 }, ctxA).values).toEqual(['138****1234', null]);
    expect(applyTransform(['110105194912310021'], { kind: 'mask', keepFirst: 6, keepLast: 4 }, ctxA).values).toEqual(['110105********0021']);
    expect(applyTransform([13812341234], { kind: 'mask', keepFirst: 3, keepLast: 4, maskChar: '#' }, ctxA).values).toEqual(['138####1234']);
  });

  it('property: keeps the length, the first and last characters, and hides the rest', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.nat({ max: 8 }), fc.nat({ max: 8 }), (v, first, last) => {
        const chars = Array.from(v);
        const out = Array.from(maskValue(v, first, last));
        expect(out).toHaveLength(chars.length);
        if (chars.length <= first + last) expect(out.every((c) => c === '*')).toBe(true);
        else {
          expect(out.slice(0, first)).toEqual(chars.slice(0, first));
          expect(out.slice(out.length - last)).toEqual(chars.slice(chars.length - last));
          expect(out.slice(first, out.length - last).every((c) => c === '*')).toBe(true);
        }
      }),
    );
  });

  it('masks short values entirely and counts code points', () => {
    expect(maskValue('1234567', 3, 4)).toBe('*******');
    expect(maskValue('张三丰先生', 1, 1)).toBe('张***生');
    expect(() => applyTransform(['x'], { kind: 'mask', keepFirst: -1, keepLast: 0 }, ctxA)).toThrow();
  });
});

describe('keep and drop', () => {
  it('keep copies, drop leaves only nulls', () => {
    expect(applyTransform(['a', 1, null], { kind: 'keep' }, ctxA).values).toEqual(['a', 1, null]);
    expect(applyTransform(['a', 1, null], { kind: 'drop' }, ctxA).values).toEqual([null, null, null]);
  });
});

describe('pseudonymise', () => {
  it('is consistent across calls and datasets, different under another key, and never reveals the input', () => {
    const first = applyTransform([...people, null, people[0]!], { kind: 'pseudonymise' }, ctxA).values;
    const again = applyTransform([people[3]!, people[0]!], { kind: 'pseudonymise' }, ctxA).values;
    const other = applyTransform(people, { kind: 'pseudonymise' }, ctxB).values;
    expect(first[6]).toBeNull();
    expect(first[7]).toBe(first[0]);
    expect(again).toEqual([first[3], first[0]]);
    people.forEach((p, i) => {
      const ps = first[i] as string;
      expect(ps).toMatch(/^[0-9a-f]{16}$/);
      expect(ps).not.toBe(p);
      expect(ps.includes(p)).toBe(false);
      expect(other[i]).not.toBe(ps);
      expect(pseudonymise(p, ctxA)).toBe(ps);
    });
    expect(new Set(first.slice(0, people.length)).size).toBe(people.length);
    expect(pseudonymise(42, ctxA)).toBe(pseudonymise('42', ctxA));
    expect(applyTransform(['x'], { kind: 'pseudonymise', length: 40 }, ctxA).values[0]).toMatch(/^[0-9a-f]{40}$/);
    expect(() => applyTransform(['x'], { kind: 'pseudonymise', length: 0 }, ctxA)).toThrow();
  });

  it('property: equal inputs agree, and another key gives another pseudonym', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 20 }), (values) => {
        const a = applyTransform(values, { kind: 'pseudonymise' }, ctxA).values;
        const b = applyTransform(values, { kind: 'pseudonymise' }, ctxB).values;
        values.forEach((v, i) => {
          expect(a[i]).toBe(pseudonymise(v, ctxA));
          expect(a[i]).not.toBe(b[i]);
          values.forEach((w, j) => expect(a[i] === a[j]).toBe(v === w));
        });
      }),
      { numRuns: 50 },
    );
  });

  it('returns no mapping unless reversible', () => {
    expect(applyTransform(people, { kind: 'pseudonymise' }, ctxA).mapping).toBeUndefined();
  });

  it('reversible mode: the mapping holds encrypted originals and round-trips with reidentify', () => {
    const values = [...people, people[1]!, null];
    const out = applyTransform(values, { kind: 'pseudonymise', reversible: true }, ctxA);
    const mapping = out.mapping!;
    expect(mapping).toHaveLength(people.length);
    expect(new Set(mapping.map((m) => m.pseudonym)).size).toBe(people.length);
    for (const m of mapping) for (const p of people) expect(m.token.includes(p)).toBe(false);
    values.forEach((v, i) => {
      if (v === null) return;
      expect(reidentify(out.values[i] as string, mapping, ctxA)).toBe(v);
    });
    expect(reidentify('0000000000000000', mapping, ctxA)).toBeNull();
    expect(() => reidentify(mapping[0]!.pseudonym, mapping, ctxB)).toThrow();
    const tampered = [{ ...mapping[0]!, token: flipByte(mapping[0]!.token, 15) }];
    expect(() => reidentify(mapping[0]!.pseudonym, tampered, ctxA)).toThrow();
  });

  it('reversible mode refuses pseudonyms so short that two values collide', () => {
    const many = Array.from({ length: 100 }, (_, i) => `person-${i}`);
    expect(() => applyTransform(many, { kind: 'pseudonymise', length: 1, reversible: true }, ctxA)).toThrow(/longer/);
  });
});

describe('encrypt', () => {
  it('round-trips, uses a fresh IV per value, and detects tampering anywhere in the token', () => {
    const values = ['13812341234', '张三', '', 42, null, '13812341234'];
    const out = applyTransform(values, { kind: 'encrypt' }, ctxA).values;
    expect(out[4]).toBeNull();
    expect(out[0]).not.toBe(out[5]);
    values.forEach((v, i) => {
      if (v === null) return;
      const token = out[i] as string;
      if (String(v).length >= 5) expect(token).not.toContain(String(v));
      expect(decryptValue(token, ctxA)).toBe(String(v));
      // iv(12) | ciphertext | tag(16)
      expect(Buffer.from(token, 'base64').length).toBe(12 + Buffer.byteLength(String(v)) + 16);
    });
    const token = out[0] as string;
    for (const at of [0, 11, 12, 20, -16, -1]) expect(() => decryptValue(flipByte(token, at), ctxA)).toThrow(/altered/);
    expect(() => decryptValue(token, ctxB)).toThrow();
    expect(() => decryptValue('not base64 !', ctxA)).toThrow();
    expect(() => decryptValue('AAAA', ctxA)).toThrow();
    expect(decryptValue(encryptValue('x', ctxA), ctxA)).toBe('x');
  });

  it('node crypto: HMAC-SHA-256 matches the RFC 4231 test vector and AES needs a 32-byte key', () => {
    const key = new Uint8Array(20).fill(0x0b);
    expect(Buffer.from(nodePrivacyCrypto.hmacSha256(key, 'Hi There')).toString('hex')).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(() => nodePrivacyCrypto.encrypt(new Uint8Array(16), 'x')).toThrow();
  });
});

describe('topBottom', () => {
  it('clamps numbers and numeric strings, keeping each cell type', () => {
    const out = applyTransform([5, 17, 90, null, '120', '30'], { kind: 'topBottom', bottom: 18, top: 80 }, ctxA).values;
    expect(out).toEqual([18, 18, 80, null, '80', '30']);
    expect(applyTransform([1, 100], { kind: 'topBottom', top: 50 }, ctxA).values).toEqual([1, 50]);
    expect(() => applyTransform([1], { kind: 'topBottom', bottom: 5, top: 1 }, ctxA)).toThrow();
    expect(() => applyTransform(['abc'], { kind: 'topBottom', top: 1 }, ctxA)).toThrow();
  });
});

describe('Laplace noise', () => {
  it('is reproducible with a seed and differs between seeds', () => {
    const values = [10, 20, null, '30', 40];
    const a = applyTransform(values, { kind: 'noise', epsilon: 1, seed: 7 }, ctxA).values;
    const b = applyTransform(values, { kind: 'noise', epsilon: 1, seed: 7 }, ctxA).values;
    const c = applyTransform(values, { kind: 'noise', epsilon: 1, seed: 8 }, ctxA).values;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a[2]).toBeNull();
    expect(typeof a[0]).toBe('number');
    expect(typeof a[3]).toBe('string');
    // The default sensitivity is the column's range: 40 − 10 = 30.
    expect(applyTransform(values, { kind: 'noise', epsilon: 1, sensitivity: 30, seed: 7 }, ctxA).values).toEqual(a);
    expect(() => applyTransform([1], { kind: 'noise', epsilon: 0 }, ctxA)).toThrow();
    expect(() => applyTransform(['x'], { kind: 'noise', epsilon: 1 }, ctxA)).toThrow();
  });

  it('has mean absolute noise b = sensitivity / ε (20,000 draws, within 5%) and mean about 0', () => {
    const n = 20_000;
    const epsilon = 0.5;
    const sensitivity = 3;
    const b = sensitivity / epsilon;
    const out = applyTransform(new Array<number>(n).fill(100), { kind: 'noise', epsilon, sensitivity, seed: 12345 }, ctxA).values as number[];
    let abs = 0;
    let sum = 0;
    for (const v of out) {
      abs += Math.abs(v - 100);
      sum += v - 100;
    }
    expect(Math.abs(abs / n - b) / b).toBeLessThan(0.05);
    expect(Math.abs(sum / n)).toBeLessThan(0.1 * b); // standard error ≈ b·√2/√n ≈ 0.01·b
    // Direct draws agree too, for other seeds.
    const rng = mulberry32(99);
    let abs2 = 0;
    for (let i = 0; i < n; i++) abs2 += Math.abs(laplaceNoise(2, rng));
    expect(Math.abs(abs2 / n - 2) / 2).toBeLessThan(0.05);
  });

  it('mulberry32 stays in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = mulberry32(seed);
        for (let i = 0; i < 50; i++) {
          const u = rng();
          if (!(u >= 0 && u < 1)) return false;
        }
        return true;
      }),
    );
  });
});

/** Every distinct value has exactly one row, rows have `levels` entries, the top is `*`, and the hierarchy encodes the column. */
function expectValid(h: Hierarchy, distinct: string[], levels: number): void {
  expect(validateHierarchy(h.rows)).toEqual(h);
  expect(h.levels).toBe(levels);
  expect(h.rows.map((r) => r[0]).sort()).toEqual([...new Set(distinct)].sort());
  for (const row of h.rows) {
    expect(row).toHaveLength(levels);
    expect(row[levels - 1]).toBe('*');
  }
  expect(encodeColumn('c', distinct, h).height).toBe(levels - 1);
}

describe('intervalHierarchy', () => {
  it('aligns intervals to multiples of each width', () => {
    const h = intervalHierarchy([23, 17, 23, 40, 0, -3], [5, 10, 20]);
    expectValid(h, ['23', '17', '40', '0', '-3'], 5);
    const row = (v: string) => h.rows.find((r) => r[0] === v);
    expect(row('23')).toEqual(['23', '20-24', '20-29', '20-39', '*']);
    expect(row('17')).toEqual(['17', '15-19', '10-19', '0-19', '*']);
    expect(row('40')).toEqual(['40', '40-44', '40-49', '40-59', '*']);
    expect(row('-3')).toEqual(['-3', '-5--1', '-10--1', '-20--1', '*']);
    expect(h.rows.map((r) => r[0])).toEqual(['-3', '0', '17', '23', '40']);
  });

  it('uses half-open labels for fractional values and rejects widths that do not nest', () => {
    const h = intervalHierarchy([0.3, 1.25, 2.5], [0.5, 1]);
    expect(h.rows).toEqual([
      ['0.3', '[0, 0.5)', '[0, 1)', '*'],
      ['1.25', '[1, 1.5)', '[1, 2)', '*'],
      ['2.5', '[2.5, 3)', '[2, 3)', '*'],
    ]);
    expect(intervalHierarchy([0.3], [0.1]).rows[0]).toEqual(['0.3', '[0.3, 0.4)', '*']);
    expect(() => intervalHierarchy([1], [5, 7])).toThrow(/multiple/);
    expect(() => intervalHierarchy([1], [0])).toThrow();
    expect(() => intervalHierarchy([NaN], [5])).toThrow();
    expect(() => intervalHierarchy([], [5])).toThrow();
    expect(intervalHierarchy([3], []).rows).toEqual([['3', '*']]);
  });

  it('property: random integers and nested widths give a valid hierarchy whose intervals contain their values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -10_000, max: 10_000 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 2, max: 5 }), { maxLength: 4 }),
        (values, base, factors) => {
          const widths = [base];
          for (const f of factors) widths.push(widths[widths.length - 1]! * f);
          const h = intervalHierarchy(values, widths);
          expectValid(h, values.map(String), widths.length + 2);
          for (const row of h.rows) {
            const v = Number(row[0]);
            widths.forEach((w, i) => {
              const m = /^(-?\d+)-(-?\d+)$/.exec(row[i + 1]!)!;
              const lo = Number(m[1]);
              const hi = Number(m[2]);
              expect(hi - lo + 1).toBe(w);
              expect(((lo % w) + w) % w).toBe(0);
              expect(v >= lo && v <= hi).toBe(true);
            });
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: random fractional values give a valid hierarchy', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 100 }), (values) => {
        const h = intervalHierarchy(values, [0.25, 1, 10]);
        expectValid(h, values.map(String), 5);
      }),
      { numRuns: 100 },
    );
  });
});

describe('dateHierarchy', () => {
  it('goes date → month → quarter → year → *', () => {
    const h = dateHierarchy(['2024-05-17', '2023-12-31', '2024-05-17', '2024-02-29T08:30:00Z']);
    expectValid(h, ['2024-05-17', '2023-12-31', '2024-02-29T08:30:00Z'], 5);
    expect(h.rows).toEqual([
      ['2023-12-31', '2023-12', '2023-Q4', '2023', '*'],
      ['2024-02-29T08:30:00Z', '2024-02', '2024-Q1', '2024', '*'],
      ['2024-05-17', '2024-05', '2024-Q2', '2024', '*'],
    ]);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '17/05/2024', '']) expect(() => dateHierarchy([bad])).toThrow();
  });

  it('property: random dates give a valid hierarchy with the right quarter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }), { minLength: 1, maxLength: 200 }),
        (dates) => {
          const values = dates.map((d) => d.toISOString().slice(0, 10));
          const h = dateHierarchy(values);
          expectValid(h, values, 5);
          for (const row of h.rows) {
            const month = Number(row[0]!.slice(5, 7));
            expect(row[1]).toBe(row[0]!.slice(0, 7));
            expect(row[2]).toBe(`${row[0]!.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`);
            expect(row[3]).toBe(row[0]!.slice(0, 4));
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('prefixHierarchy', () => {
  it('keeps prefixes of postcodes and ID region codes, preserving length', () => {
    const h = prefixHierarchy(['100086', '100080', '200001', '100086'], [4, 2]);
    expectValid(h, ['100086', '100080', '200001'], 4);
    expect(h.rows).toEqual([
      ['100080', '1000**', '10****', '*'],
      ['100086', '1000**', '10****', '*'],
      ['200001', '2000**', '20****', '*'],
    ]);
    expect(prefixHierarchy(['110105194912310021'], [6, 4, 2]).rows[0]).toEqual([
      '110105194912310021',
      '110105************',
      '1101**************',
      '11****************',
      '*',
    ]);
    expect(prefixHierarchy(['10'], [4, 1]).rows[0]).toEqual(['10', '10', '1*', '*']);
    expect(() => prefixHierarchy(['1'], [2, 4])).toThrow(/decrease/);
    expect(() => prefixHierarchy([], [2])).toThrow();
  });

  it('property: random strings and decreasing prefix lengths give a valid hierarchy', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 100 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 8 }), { maxLength: 4 }),
        (values, keepRaw) => {
          const keep = [...keepRaw].sort((a, b) => b - a);
          expectValid(prefixHierarchy(values, keep), values, keep.length + 2);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('key store', () => {
  let ws: string;
  beforeEach(() => {
    ws = mkdtempSync(join(tmpdir(), 'xinzhi-keys-'));
  });
  afterEach(() => {
    rmSync(ws, { recursive: true, force: true });
  });

  it('creates a 32-byte key in a 0600 file under a 0700 folder and reads the same key back', () => {
    const key = loadOrCreateKey(ws, 'pseudonymisation');
    expect(key.length).toBe(32);
    const path = keyPath(ws, 'pseudonymisation');
    expect(path).toBe(join(ws, 'keys', 'pseudonymisation.key'));
    if (process.platform !== 'win32') {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(join(ws, 'keys')).mode & 0o777).toBe(0o700);
    }
    expect(loadOrCreateKey(ws, 'pseudonymisation').equals(key)).toBe(true);
    expect(readFileSync(path).equals(key)).toBe(true);
    expect(loadOrCreateKey(ws, 'column-encryption').equals(key)).toBe(false);
    // No temp files left behind.
    expect(readdirSync(join(ws, 'keys')).sort()).toEqual(['column-encryption.key', 'pseudonymisation.key']);
  });

  it('gives racing processes one and the same key', async () => {
    // Bundle the key store for plain Node, then start processes that all create the key at the same instant.
    const script = join(ws, 'race.mjs');
    buildSync({
      stdin: {
        contents: `import { loadOrCreateKey } from ${JSON.stringify(fileURLToPath(new URL('../../src/main/catalog/key-store.ts', import.meta.url)))};
          const [ws, at] = process.argv.slice(2);
          while (Date.now() < Number(at)) {}
          process.stdout.write(loadOrCreateKey(ws, 'race').toString('hex'));`,
        resolveDir: ws,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      logLevel: 'silent',
    });
    const at = String(Date.now() + 400);
    const runs = Array.from(
      { length: 6 },
      () =>
        new Promise<string>((resolve, reject) => {
          execFile(process.execPath, [script, ws, at], (err, stdout) => (err ? reject(err) : resolve(stdout)));
        }),
    );
    const keys = await Promise.all(runs);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(keys).size).toBe(1);
    expect(readFileSync(keyPath(ws, 'race')).toString('hex')).toBe(keys[0]);
    expect(readdirSync(join(ws, 'keys'))).toEqual(['race.key']);
  });

  it.skipIf(process.platform === 'win32')('tightens a key file whose mode was loosened', () => {
    const key = loadOrCreateKey(ws, 'k');
    chmodSync(keyPath(ws, 'k'), 0o644);
    expect(loadOrCreateKey(ws, 'k').equals(key)).toBe(true);
    expect(statSync(keyPath(ws, 'k')).mode & 0o777).toBe(0o600);
  });

  it('rejects key names that could leave the keys folder and damaged key files', () => {
    for (const bad of ['../x', 'a/b', '', '.hidden', 'a..b']) expect(() => loadOrCreateKey(ws, bad)).toThrow();
    expect(existsSync(join(ws, 'x.key'))).toBe(false);
    loadOrCreateKey(ws, 'k');
    writeFileSync(keyPath(ws, 'k'), Buffer.alloc(5), { mode: 0o600 });
    expect(() => loadOrCreateKey(ws, 'k')).toThrow(/damaged/);
    rmSync(keyPath(ws, 'k'));
    const fresh = loadOrCreateKey(ws, 'k');
    expect(fresh.length).toBe(32);
  });

  it('keeps key bytes out of catalog.db while the catalog records pseudonymised work', () => {
    const db = openCatalog(ws);
    try {
      const key = loadOrCreateKey(ws, 'pseudonymisation');
      const ctx: TransformContext = { crypto: nodePrivacyCrypto, key };
      const out = applyTransform(people, { kind: 'pseudonymise', reversible: true }, ctx);
      appendAudit(db, { actor: 'cli', action: 'privacy.anonymise', target: 'ds_1', details: { pseudonyms: out.values.length } });
      db.exec('CREATE TABLE map_test (pseudonym TEXT PRIMARY KEY, token TEXT NOT NULL)');
      const insert = db.prepare('INSERT INTO map_test VALUES (?, ?)');
      for (const m of out.mapping!) insert.run(m.pseudonym, m.token);
      db.pragma('wal_checkpoint(TRUNCATE)');
      const files = readdirSync(ws).filter((f) => f.startsWith('catalog.db'));
      expect(files).toContain('catalog.db');
      for (const f of files) {
        const bytes = readFileSync(join(ws, f));
        expect(bytes.includes(key)).toBe(false);
        expect(bytes.includes(Buffer.from(key.toString('hex')))).toBe(false);
        expect(bytes.includes(Buffer.from(key.toString('base64')))).toBe(false);
        for (const p of people) expect(bytes.includes(Buffer.from(p))).toBe(false);
      }
      expect(reidentify(out.mapping![0]!.pseudonym, out.mapping!, { crypto: nodePrivacyCrypto, key: loadOrCreateKey(ws, 'pseudonymisation') })).toBe(people[0]);
    } finally {
      db.close();
    }
  });
});
