/**
 * The governance report of a dataset: catalog metadata and versions, the latest version's schema, its profile with
 * the quality score and alerts, rule results and history, the privacy roles declared, lineage and an audit-log excerpt.
 * Never a data value: no top values, minima or maxima (a phone column's maximum is a phone number), no rule value sets.
 */
import { dimensionsChart, missingChart } from '../../shared/charts/quality.js';
import { lineageChart, lineageChartHeight } from '../../shared/charts/lineage.js';
import { translate, type Language } from '../../shared/i18n/index.js';
import type { Version } from '../../shared/model/catalog.js';
import type { DatasetMetadata } from '../../shared/model/catalog-metadata.js';
import type { LineageGraph } from '../../shared/model/cleaning.js';
import type { PiiFindings } from '../../shared/model/pii.js';
import type { ProfileReport, RuleRun, RuleSpec } from '../../shared/model/quality.js';
import type { Block, Section } from './document.js';
import { fmtInt, fmtNum, fmtPct, reportText } from './format.js';

export interface GovernanceData {
  dataset: { id: string; name: string; description: string; createdAt: string; updatedAt: string };
  versions: Version[];
  profile: ProfileReport | null;
  rules: { id: string; spec: RuleSpec }[];
  runs: RuleRun[];
  /** Roles declared by the latest anonymisation of the dataset, by column. */
  roles: Record<string, string> | null;
  lineage: { child: string; parent: string; relation: string; createdAt: string }[];
  /** Owner, steward, tags, glossary terms and sensitivity from the catalog metadata. */
  metadata: Omit<DatasetMetadata, 'suggestedSensitivity'> | null;
  /** The PII detector's latest stored findings for a version of the dataset (masked examples only), with that version's number. */
  pii: { findings: PiiFindings; versionNumber: number } | null;
  /** The latest version's lineage graph (lineage.getGraph), drawn with the lineage page's chart. */
  graph: LineageGraph | null;
  audit: { seq: number; ts: string; actor: string; action: string; target: string | null; hash: string }[];
}

/** A rule by its kind and column only (value sets and patterns may hold data values). */
function describeRule(spec: RuleSpec, t: (k: string, p?: Record<string, unknown>) => string): string {
  const column = 'column' in spec ? spec.column : '';
  switch (spec.kind) {
    case 'between':
      return t('rules.between', { column, min: spec.min ?? '—', max: spec.max ?? '—' });
    case 'row-count':
      return t('rules.rowCount', { min: spec.min ?? '—', max: spec.max ?? '—' });
    case 'in-set':
      return t('rules.inSet', { column, n: spec.values.length });
    case 'type':
      return t('rules.type', { column, type: spec.type });
    case 'predicate':
      return t('rules.predicate');
    default:
      return t(`rules.${spec.kind === 'not-null' ? 'notNull' : spec.kind}`, { column });
  }
}

export function governanceSections(data: GovernanceData, lang: Language): Section[] {
  const t = reportText(lang, 'governance');
  const c = reportText(lang, 'common');
  const latest = data.versions.at(-1);
  const p = data.profile;
  const alertsByColumn = new Map<string, string[]>();
  for (const a of p?.alerts ?? []) {
    const key = a.column ?? '';
    alertsByColumn.set(key, [...(alertsByColumn.get(key) ?? []), t(`alerts.${a.kind}`)]);
  }

  const profileBlocks: Block[] = p
    ? [
        { type: 'note', tone: p.qualityScore >= 80 ? 'ok' : 'warn', text: t('score', { score: fmtNum(p.qualityScore, 1) }) },
        {
          type: 'keyValue',
          rows: [
            [c('rows'), fmtInt(p.rowCount, lang)],
            [t('duplicates'), fmtInt(p.duplicateRows, lang)],
            [t('rowsWithMissing'), fmtInt(p.rowsWithMissing, lang)],
            [t('profiledAt'), p.createdAt],
          ],
        },
        {
          type: 'chart',
          option: dimensionsChart(p.dimensions, { completeness: t('dims.completeness'), uniqueness: t('dims.uniqueness'), validity: t('dims.validity'), consistency: t('dims.consistency'), outliers: t('dims.outliers') }, 'light'),
          height: 220,
          caption: t('dimsCaption'),
        },
        { type: 'heading', text: t('alertsTitle') },
        p.alerts.length
          ? {
              type: 'table',
              columns: [c('column'), t('alert'), t('measured')],
              rows: p.alerts.map((a) => [a.column ? a.column + (a.otherColumn ? ` ~ ${a.otherColumn}` : '') : '—', t(`alerts.${a.kind}`), fmtNum(a.value, 3)]),
              align: ['left', 'left', 'right'],
              widths: [1.6, 2, 0.8],
            }
          : { type: 'paragraph', text: t('noAlerts') },
        { type: 'heading', text: t('missingTitle') },
        // A chart of all-zero bars reads as a blank box: say it in words instead.
        p.columns.some((col) => col.missing > 0)
          ? { type: 'chart', option: missingChart(p.columns, 'light'), height: 80 + 18 * Math.min(p.columns.length, 30) }
          : { type: 'paragraph', text: t('noMissing') },
      ]
    : [{ type: 'note', tone: 'info', text: t('notProfiled') }];

  const latestRun = data.runs[0];
  return [
    {
      title: t('metadata'),
      blocks: [
        {
          type: 'keyValue',
          rows: [
            [t('name'), data.dataset.name],
            [c('id'), data.dataset.id],
            [t('description'), data.dataset.description || '—'],
            [t('created'), data.dataset.createdAt],
            [t('updated'), data.dataset.updatedAt],
            ...(data.metadata
              ? ([
                  [t('owner'), data.metadata.owner || '—'],
                  [t('steward'), data.metadata.steward || '—'],
                  [t('sensitivity'), data.metadata.sensitivity ? translate(lang, `ui.catalogMetadata.sensitivity.${data.metadata.sensitivity}`) : t('notClassified')],
                  [t('tags'), data.metadata.tags.join(', ') || '—'],
                ] as [string, string][])
              : []),
          ],
        },
        ...(data.metadata?.terms.length
          ? [
              { type: 'heading', text: t('glossary') } as Block,
              {
                type: 'table',
                columns: [t('term'), c('column'), t('definition')],
                rows: data.metadata.terms.map((x) => [x.term, x.column ?? t('wholeDataset'), x.definition]),
                widths: [1, 1, 3],
              } as Block,
            ]
          : []),
        { type: 'heading', text: t('versions') },
        {
          type: 'table',
          columns: [c('version'), t('operation'), c('rows'), c('columns'), c('id'), 'SHA-256'],
          rows: data.versions.map((v) => [`v${v.number}`, v.operation, fmtInt(v.rowCount, lang), String(v.columns.length), v.id, v.contentHash]),
          align: ['left', 'left', 'right', 'right', 'left', 'left'],
          widths: [0.6, 1, 0.8, 0.6, 1.4, 3],
        },
      ],
    },
    {
      title: t('schema', { version: latest ? `v${latest.number}` : '—' }),
      blocks: [
        {
          type: 'table',
          columns: [c('column'), t('type'), t('missing'), t('distinct'), t('role'), t('alertsTitle')],
          rows: (latest?.columns ?? []).map((col) => {
            const cp = p?.columns.find((x) => x.name === col.name);
            return [
              col.name,
              col.type,
              cp ? fmtPct(cp.count + cp.missing > 0 ? cp.missing / (cp.count + cp.missing) : 0) : '—',
              cp ? fmtInt(cp.distinct, lang) : '—',
              data.roles?.[col.name] ? t(`roles.${data.roles[col.name]}`) : '—',
              (alertsByColumn.get(col.name) ?? []).join(', ') || '—',
            ];
          }),
          align: ['left', 'left', 'right', 'right', 'left', 'left'],
          widths: [1.5, 0.8, 0.8, 0.8, 1.1, 2],
        },
        ...(data.roles ? [] : [{ type: 'note', tone: 'info', text: t('noRoles') } as Block]),
      ],
    },
    { title: t('profile'), blocks: profileBlocks },
    {
      title: t('rulesTitle'),
      blocks: data.rules.length
        ? [
            {
              type: 'table',
              columns: [t('rule'), t('result'), t('failingRows'), t('passRate')],
              rows: data.rules.map((r) => {
                const res = latestRun?.results.find((x) => x.ruleId === r.id);
                return [describeRule(r.spec, t), res ? (res.passed ? t('passed') : t('failed')) : t('notRun'), res ? fmtInt(res.failingRows, lang) : '—', res ? fmtPct(res.passRate) : '—'];
              }),
              align: ['left', 'left', 'right', 'right'],
              widths: [2.6, 0.8, 0.8, 0.8],
            },
            { type: 'heading', text: t('history') },
            {
              type: 'table',
              columns: [t('ranAt'), c('version'), t('passed'), t('failed')],
              rows: data.runs.map((r) => [r.ranAt, `v${r.versionNumber}`, String(r.passed), String(r.failed)]),
              align: ['left', 'left', 'right', 'right'],
            },
          ]
        : [{ type: 'paragraph', text: t('noRules') }],
    },
    {
      title: t('pii'),
      blocks: data.pii
        ? [
            {
              type: 'note',
              tone: data.pii.findings.columns.some((x) => x.kind !== null) ? 'warn' : 'ok',
              text: t('piiFindings', {
                version: `v${data.pii.versionNumber}`,
                at: data.pii.findings.createdAt,
                sampled: fmtInt(data.pii.findings.sampleSize, lang),
                rows: fmtInt(data.pii.findings.rowCount, lang),
                n: data.pii.findings.columns.filter((x) => x.kind !== null).length,
                sensitivity: translate(lang, `ui.catalogMetadata.sensitivity.${data.pii.findings.suggestedSensitivity}`),
              }),
            },
            {
              type: 'table',
              columns: [c('column'), t('piiKind'), t('confidence'), t('matched'), t('role'), t('maskedExamples')],
              // Masked examples only (the detector never stores a raw value).
              rows: data.pii.findings.columns
                .filter((x) => x.kind !== null)
                .map((x) => [x.name, translate(lang, `ui.privacy.reasons.shapes.${x.kind}`) + (x.freeText ? ` (${t('freeText')})` : ''), fmtNum(x.confidence, 2), fmtPct(x.matchedShare), t(`roles.${x.role}`), x.maskedExamples.slice(0, 3).join(', ') || '—']),
              align: ['left', 'left', 'right', 'right', 'left', 'left'],
              widths: [1.2, 1.3, 0.8, 0.8, 1, 2.2],
            },
            { type: 'paragraph', text: data.roles ? t('piiFromRoles') : t('piiMasked') },
          ]
        : [{ type: 'note', tone: 'info', text: data.roles ? t('piiFromRoles') : t('piiNone') }],
    },
    {
      title: t('lineage'),
      blocks: [
        ...(data.graph && data.graph.nodes.length > 1
          ? [
              {
                type: 'chart',
                option: lineageChart(data.graph, 'light', {
                  kinds: Object.fromEntries(data.graph.nodes.map((n) => [n.kind, translate(lang, `ui.cleaning.lineage.kind.${n.kind}`)])),
                  relations: Object.fromEntries(data.graph.edges.map((e) => [e.relation, translate(lang, `ui.cleaning.lineage.relation.${e.relation.replace('-', '_')}`)])),
                }),
                height: Math.min(lineageChartHeight(data.graph), 520),
                caption: t('lineageGraphCaption', { version: latest ? `v${latest.number}` : '—' }),
              } as Block,
            ]
          : []),
        { type: 'paragraph', text: t('lineageText') },
        {
          type: 'table',
          columns: [t('child'), t('relation'), t('parent'), t('when')],
          rows: data.lineage.map((e) => [e.child, e.relation, e.parent, e.createdAt]),
          widths: [1.6, 0.8, 1.6, 1.4],
        },
      ],
    },
    {
      title: t('auditTitle'),
      blocks: [
        { type: 'paragraph', text: t('auditText', { n: data.audit.length }) },
        {
          type: 'table',
          columns: ['#', t('when'), t('actor'), t('action'), t('target'), t('hash')],
          rows: data.audit.map((a) => [String(a.seq), a.ts, a.actor, a.action, a.target ?? '—', a.hash.slice(0, 16)]),
          align: ['right', 'left', 'left', 'left', 'left', 'left'],
          widths: [0.4, 1.5, 1.1, 1.3, 1.4, 1.2],
        },
      ],
    },
  ];
}
