/**
 * The append-only audit log: each entry's hash is SHA-256(previous hash + canonical JSON of the entry),
 * so editing, removing or reordering any entry breaks verification from that entry on.
 */
import { createHash } from 'node:crypto';
import type { Db } from './connection.js';
import type { AuditEntry, AuditVerification } from '../../shared/model/audit.js';
import { nowIso } from './ids.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  actor: string;
  action: string;
  target: string | null;
  /** Never raw values of data columns: names, counts, ids and hashes only. */
  details: Record<string, unknown>;
}

/** JSON with object keys sorted at every depth, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function entryHash(prevHash: string, entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  const body = canonicalJson({ seq: entry.seq, ts: entry.ts, actor: entry.actor, action: entry.action, target: entry.target, details: entry.details });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

interface AuditRow {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  target: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const fromRow = (r: AuditRow): AuditEntry => ({
  seq: r.seq,
  ts: r.ts,
  actor: r.actor,
  action: r.action,
  target: r.target,
  details: JSON.parse(r.details) as Record<string, unknown>,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Appends one entry. Call inside the transaction that makes the change it records. */
export function appendAudit(db: Db, input: AuditInput): AuditEntry {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const base = { seq, ts: nowIso(), actor: input.actor, action: input.action, target: input.target, details: input.details };
  const hash = entryHash(prevHash, base);
  db.prepare('INSERT INTO audit_log (seq, ts, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    seq, base.ts, base.actor, base.action, base.target, canonicalJson(base.details), prevHash, hash,
  );
  return { ...base, prevHash, hash };
}

export function listAudit(db: Db, offset: number, limit: number): { entries: AuditEntry[]; total: number } {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ? OFFSET ?').all(limit, offset) as AuditRow[];
  const { n } = db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
  return { entries: rows.map(fromRow), total: n };
}

/** Recomputes the chain from the first entry; `brokenAt` is the first entry whose hash or link does not hold. */
export function verifyAudit(db: Db): AuditVerification {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    entries++;
    let details: Record<string, unknown>;
    try {
      details = JSON.parse(row.details) as Record<string, unknown>;
    } catch {
      return { ok: false, entries: countAll(db), brokenAt: row.seq > expectedSeq ? expectedSeq : row.seq, headHash: null };
    }
    const hash = entryHash(prevHash, { seq: row.seq, ts: row.ts, actor: row.actor, action: row.action, target: row.target, details });
    if (row.seq !== expectedSeq || row.prev_hash !== prevHash || row.hash !== hash) {
      // A gap in the numbering means entries were removed: the chain breaks at the first missing one.
      return { ok: false, entries: countAll(db), brokenAt: row.seq > expectedSeq ? expectedSeq : row.seq, headHash: null };
    }
    prevHash = row.hash;
    expectedSeq++;
  }
  return { ok: true, entries, brokenAt: null, headHash: entries > 0 ? prevHash : null };
}

function countAll(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
}
