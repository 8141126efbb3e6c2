/**
 * The lineage graph around one entity: files → versions (import, clean, anonymise, predict) → models (train,
 * compress) → whatever else records itself in the `lineage` table (reports, audits …). Nodes are layered by depth
 * (longest path from a source) so the layout is the same on screen and in a PDF.
 */
import type { Implements } from '../../shared/contract/procedure.js';
import type { lineage } from '../../shared/contract/lineage.js';
import type { LineageEdge, LineageGraph, LineageNode } from '../../shared/model/cleaning.js';
import { XinzhiError } from '../../shared/model/errors.js';
import type { Db } from '../catalog/connection.js';

interface LineageRow {
  child_kind: string;
  child_id: string;
  parent_kind: string;
  parent_id: string;
  relation: string;
  created_at: string;
}
interface VersionRow {
  id: string;
  dataset_id: string;
  number: number;
  parent_id: string | null;
  operation: string;
  params: string;
  row_count: number;
  created_at: string;
  name: string;
}

const key = (kind: string, id: string) => `${kind}:${id}`;

export class LineageService implements Implements<typeof lineage> {
  constructor(private readonly db: Db) {}

  getGraph(input: { id: string; maxNodes: number }): LineageGraph {
    const start = this.resolve(input.id);
    const nodes = new Map<string, Omit<LineageNode, 'depth'>>();
    const edges = new Map<string, LineageEdge>();
    const queue: { kind: string; id: string }[] = [start];
    const seen = new Set<string>([key(start.kind, start.id)]);
    let truncated = false;
    const visit = (kind: string, id: string) => {
      const k = key(kind, id);
      if (seen.has(k)) return;
      if (seen.size >= input.maxNodes) {
        truncated = true;
        return;
      }
      seen.add(k);
      queue.push({ kind, id });
    };
    const addEdge = (parent: string, child: string, relation: string) => {
      edges.set(`${parent}→${child}`, { source: parent, target: child, relation });
    };

    const versionStmt = this.db.prepare('SELECT v.*, d.name FROM versions v JOIN datasets d ON d.id = v.dataset_id WHERE v.id = ?');
    const childVersions = this.db.prepare('SELECT id, operation FROM versions WHERE parent_id = ?');
    const asChild = this.db.prepare('SELECT * FROM lineage WHERE child_kind = ? AND child_id = ?');
    const asParent = this.db.prepare('SELECT * FROM lineage WHERE parent_kind = ? AND parent_id = ?');
    const modelStmt = this.db.prepare('SELECT id, name, family, version_id, parent_model_id, created_at FROM models WHERE id = ?');
    const modelsOf = this.db.prepare('SELECT id FROM models WHERE version_id = ?');
    const importsOfFile = this.db.prepare("SELECT id FROM versions WHERE operation = 'import' AND json_extract(params, '$.sourceSha256') = ?");

    while (queue.length > 0) {
      const { kind, id } = queue.shift()!;
      const k = key(kind, id);
      if (kind === 'version') {
        const v = versionStmt.get(id) as VersionRow | undefined;
        if (!v) {
          nodes.set(k, { id: k, kind, entityId: id, label: id, detail: 'deleted', createdAt: null });
          continue;
        }
        nodes.set(k, { id: k, kind, entityId: id, label: `${v.name} · v${v.number}`, detail: `${v.operation} · ${v.row_count} rows`, createdAt: v.created_at });
        if (v.parent_id) {
          addEdge(key('version', v.parent_id), k, v.operation);
          visit('version', v.parent_id);
        }
        for (const c of childVersions.all(id) as { id: string; operation: string }[]) {
          addEdge(k, key('version', c.id), c.operation);
          visit('version', c.id);
        }
        for (const m of modelsOf.all(id) as { id: string }[]) {
          addEdge(k, key('model', m.id), 'train');
          visit('model', m.id);
        }
        if (v.operation === 'import') {
          const params = JSON.parse(v.params) as { file?: string; sourceSha256?: string };
          const fileId = params.sourceSha256 ?? `${v.id}-file`;
          const fk = key('file', fileId);
          if (!nodes.has(fk)) nodes.set(fk, { id: fk, kind: 'file', entityId: fileId, label: params.file ?? 'file', detail: params.sourceSha256 ? `sha256 ${params.sourceSha256.slice(0, 12)}…` : '', createdAt: v.created_at });
          seen.add(fk);
          addEdge(fk, k, 'import');
          // Other imports of the same bytes share the file node.
          if (params.sourceSha256) for (const other of importsOfFile.all(params.sourceSha256) as { id: string }[]) visit('version', other.id);
        }
      } else if (kind === 'model') {
        const m = modelStmt.get(id) as { id: string; name: string; family: string; version_id: string; parent_model_id: string | null; created_at: string } | undefined;
        nodes.set(k, m ? { id: k, kind, entityId: id, label: m.name, detail: m.family, createdAt: m.created_at } : { id: k, kind, entityId: id, label: id, detail: 'deleted', createdAt: null });
        if (m) {
          addEdge(key('version', m.version_id), k, 'train');
          visit('version', m.version_id);
          if (m.parent_model_id) {
            addEdge(key('model', m.parent_model_id), k, 'compress');
            visit('model', m.parent_model_id);
          }
        }
      } else if (!nodes.has(k)) {
        nodes.set(k, { id: k, kind, entityId: id, label: this.labelOf(kind, id), detail: kind, createdAt: null });
      }
      // Whatever else recorded lineage (reports, audits, scored versions, compressed models …).
      for (const r of asChild.all(kind, id) as LineageRow[]) {
        addEdge(key(r.parent_kind, r.parent_id), k, r.relation);
        visit(r.parent_kind, r.parent_id);
      }
      for (const r of asParent.all(kind, id) as LineageRow[]) {
        addEdge(k, key(r.child_kind, r.child_id), r.relation);
        visit(r.child_kind, r.child_id);
      }
    }
    const kept = [...edges.values()].filter((e) => nodes.has(e.source) && nodes.has(e.target));
    const depth = layerDepths([...nodes.keys()], kept);
    const ordered = [...nodes.values()]
      .map((n) => ({ ...n, depth: depth.get(n.id) ?? 0 }))
      .sort((x, y) => x.depth - y.depth || (x.createdAt ?? '').localeCompare(y.createdAt ?? '') || x.id.localeCompare(y.id));
    return { focus: key(start.kind, start.id), nodes: ordered, edges: kept.sort((x, y) => x.source.localeCompare(y.source) || x.target.localeCompare(y.target)), truncated };
  }

  /** What an id names: a version, a model, a dataset (its latest version), or any id in the lineage table. */
  private resolve(id: string): { kind: string; id: string } {
    if (this.db.prepare('SELECT 1 FROM versions WHERE id = ?').get(id)) return { kind: 'version', id };
    if (this.db.prepare('SELECT 1 FROM models WHERE id = ?').get(id)) return { kind: 'model', id };
    const latest = this.db.prepare('SELECT id FROM versions WHERE dataset_id = ? ORDER BY number DESC LIMIT 1').get(id) as { id: string } | undefined;
    if (latest) return { kind: 'version', id: latest.id };
    const row = this.db.prepare('SELECT child_kind AS kind, child_id AS id FROM lineage WHERE child_id = ? UNION ALL SELECT parent_kind, parent_id FROM lineage WHERE parent_id = ? LIMIT 1').get(id, id) as
      | { kind: string; id: string }
      | undefined;
    if (row) return row;
    throw new XinzhiError('E_NOT_FOUND', `Nothing with id ${id}`, { what: 'Entity', id });
  }

  /** A readable label for kinds other areas own (reports, audits): their table's name or title column when present. */
  private labelOf(kind: string, id: string): string {
    const table = { report: 'reports', audit: 'fairness_audits' }[kind];
    if (!table) return id;
    try {
      const exists = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
      if (!exists) return id;
      const cols = (this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      const labelCol = ['title', 'name', 'kind'].find((c) => cols.includes(c));
      if (!labelCol || !cols.includes('id')) return id;
      const r = this.db.prepare(`SELECT ${labelCol} AS label FROM ${table} WHERE id = ?`).get(id) as { label?: unknown } | undefined;
      return typeof r?.label === 'string' && r.label ? r.label : id;
    } catch {
      return id;
    }
  }
}

/** Longest-path layer of each node in a DAG (0 for sources); a cycle, which lineage should never have, is cut. */
export function layerDepths(ids: readonly string[], edges: readonly LineageEdge[]): Map<string, number> {
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) parents.get(e.target)?.push(e.source);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    let d = 0;
    for (const p of parents.get(id) ?? []) d = Math.max(d, depthOf(p) + 1);
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  for (const id of ids) depthOf(id);
  return depth;
}
