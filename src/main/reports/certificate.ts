/**
 * The anonymisation certificate (as ARX issues one): which version went in and which came out, the roles,
 * transformations and hierarchies used, the privacy models the output satisfies, risk before and after, utility and
 * suppression. Never a data value: hierarchies are described by their shape, not their contents.
 */
import { basename } from 'node:path';
import { classSizeOption, riskComparisonOption } from '../../shared/charts/privacy.js';
import type { Language } from '../../shared/i18n/index.js';
import type { AnonymiseResult, ColumnTransformSpec, HierarchySpec, PrivacyConfig, PrivacyModel, Risk } from '../../shared/model/privacy.js';
import type { Section } from './document.js';
import { fmtInt, fmtNum, fmtPct, reportText } from './format.js';

export interface VersionFacts {
  id: string;
  number: number;
  rowCount: number;
  columnCount: number;
  contentHash: string;
  createdAt: string;
  operation: string;
}

export interface CertificateData {
  dataset: { id: string; name: string };
  input: VersionFacts;
  output: VersionFacts;
  config: PrivacyConfig;
  result: Omit<AnonymiseResult, 'datasetId' | 'versionId'>;
  /** The audit entry that recorded the anonymisation. */
  audit: { seq: number; ts: string; actor: string; hash: string } | null;
}

export function certificateSections(data: CertificateData, lang: Language): Section[] {
  const t = reportText(lang, 'certificate');
  const c = reportText(lang, 'common');
  const { config, result } = data;
  const versionRow = (label: string, v: VersionFacts): string[] => [label, `v${v.number}`, v.id, fmtInt(v.rowCount, lang), String(v.columnCount), v.contentHash];
  const models = config.models.map((m) => describeModel(m, lang));
  const allSatisfied = result.satisfied.length === config.models.length;

  const columns = Object.entries(config.columns).sort(([a], [b]) => a.localeCompare(b));
  const quasi = columns.filter(([, col]) => col.role === 'quasi');
  const before = result.risk.before;
  const after = result.risk.after;

  return [
    {
      title: t('statement'),
      blocks: [
        {
          type: 'note',
          tone: allSatisfied ? 'ok' : 'warn',
          text: t('statementText', {
            dataset: data.dataset.name,
            input: `v${data.input.number}`,
            output: `v${data.output.number}`,
            models: models.join(t('and')),
            rows: fmtInt(result.rowCount, lang),
            suppressed: fmtInt(result.suppressedRows, lang),
          }),
        },
        {
          type: 'keyValue',
          rows: [
            [t('dataset'), `${data.dataset.name} (${data.dataset.id})`],
            [t('algorithm'), t(`algorithms.${result.algorithm}`)],
            [t('models'), models.join('; ')],
            [t('riskMaxBeforeAfter'), `${fmtPct(before.prosecutorMax)} → ${fmtPct(after.prosecutorMax)}`],
            [t('suppressed'), `${fmtInt(result.suppressedRows, lang)} (${t(`suppressionModes.${config.suppression}`)})`],
            ...(data.audit ? ([[t('auditEntry'), t('auditEntryValue', { seq: data.audit.seq, ts: data.audit.ts, actor: data.audit.actor, hash: data.audit.hash.slice(0, 16) })]] as [string, string][]) : []),
          ],
        },
      ],
    },
    {
      title: t('versions'),
      blocks: [
        {
          type: 'table',
          columns: [t('role'), c('version'), c('id'), c('rows'), c('columns'), 'SHA-256'],
          rows: [versionRow(t('inputVersion'), data.input), versionRow(t('outputVersion'), data.output)],
          align: ['left', 'left', 'left', 'right', 'right', 'left'],
          widths: [1.1, 0.6, 1.3, 0.8, 0.6, 3.2],
        },
      ],
    },
    {
      title: t('setup'),
      blocks: [
        { type: 'paragraph', text: t('setupText') },
        {
          type: 'table',
          columns: [c('column'), t('role'), t('transformation'), t('hierarchy'), t('level')],
          rows: columns.map(([name, col]) => [
            name,
            t(`roles.${col.role}`),
            describeTransform(col.role, col.transform, lang),
            col.hierarchy ? describeHierarchy(col.hierarchy, lang) : '—',
            col.role === 'quasi' ? (result.node[name] !== undefined ? String(result.node[name]) : t('localRecoding')) : '—',
          ]),
          widths: [1.3, 1, 1.6, 1.8, 0.7],
        },
        {
          type: 'keyValue',
          rows: [
            [t('suppressionLimit'), `${fmtNum(config.suppressionLimit, 2)}%`],
            [t('metric'), t(`metrics.${config.metric}`)],
            [t('riskThreshold'), fmtPct(config.riskThreshold)],
            [t('quasiCount'), String(quasi.length)],
          ],
        },
      ],
    },
    {
      title: t('privacyModels'),
      blocks: [
        {
          type: 'table',
          columns: [t('model'), t('parameters'), t('verdict')],
          rows: config.models.map((m) => [m.model, describeModel(m, lang), result.satisfied.some((s) => s.model === m.model) ? t('satisfied') : t('notSatisfied')]),
          widths: [1.2, 3, 1],
        },
        {
          type: 'keyValue',
          rows: [
            [t('classes'), fmtInt(result.classes, lang)],
            [t('smallestClass'), fmtInt(result.smallestClass, lang)],
            [t('nodesChecked'), fmtInt(result.nodesChecked, lang)],
          ],
        },
      ],
    },
    {
      title: t('risk'),
      blocks: [
        { type: 'paragraph', text: t('riskText', { threshold: fmtPct(after.threshold) }) },
        {
          type: 'table',
          columns: [t('measure'), t('before'), t('after')],
          rows: riskRows(before, after, lang),
          align: ['left', 'right', 'right'],
          widths: [2.4, 1, 1],
        },
        {
          type: 'chart',
          option: riskComparisonOption(before, after, {
            before: t('before'),
            after: t('after'),
            measures: [t('measures.prosecutorMax'), t('measures.prosecutorAvg'), t('measures.marketer'), t('measures.recordsAtRisk')],
          }),
          height: 260,
          caption: t('riskChartCaption'),
        },
        {
          type: 'chart',
          option: classSizeOption(before, after, { before: t('before'), after: t('after'), classSize: t('classSize'), classes: t('classes') }),
          height: 260,
          caption: t('classSizeCaption'),
        },
      ],
    },
    {
      title: t('utility'),
      blocks: [
        {
          type: 'keyValue',
          rows: [
            [t('rowsOut'), fmtInt(result.rowCount, lang)],
            [t('suppressed'), `${fmtInt(result.suppressedRows, lang)} (${fmtPct(result.suppressedRows / Math.max(1, data.input.rowCount))})`],
            ...(result.infoLoss.loss !== null ? ([[t('metrics.loss'), fmtNum(result.infoLoss.loss, 4)]] as [string, string][]) : []),
            [t('granularity'), fmtNum(result.infoLoss.granularity, 4)],
            [t('metrics.discernibility'), fmtInt(result.infoLoss.discernibility, lang)],
            [t('metrics.avgClassSize'), fmtNum(result.infoLoss.avgClassSize, 2)],
          ],
        },
        result.utility
          ? {
              type: 'note',
              tone: 'info',
              text: t('mlUtility', {
                target: result.utility.target,
                original: fmtPct(result.utility.accuracyOriginal),
                anonymised: fmtPct(result.utility.accuracyAnonymised),
                delta: fmtNum(result.utility.delta * 100, 2),
                rows: fmtInt(result.utility.rows, lang),
              }),
            }
          : { type: 'note', tone: 'info', text: t('noMlUtility') },
      ],
    },
    {
      title: t('method'),
      blocks: [{ type: 'paragraph', text: t('methodText') }, { type: 'note', tone: 'info', text: t('caveat') }],
    },
  ];
}

function riskRows(before: Risk, after: Risk, lang: Language): string[][] {
  const t = reportText(lang, 'certificate');
  return [
    [t('measures.prosecutorMax'), fmtPct(before.prosecutorMax), fmtPct(after.prosecutorMax)],
    [t('measures.prosecutorAvg'), fmtPct(before.prosecutorAvg), fmtPct(after.prosecutorAvg)],
    [t('measures.marketer'), fmtPct(before.marketer), fmtPct(after.marketer)],
    [t('measures.recordsAtRisk'), `${fmtPct(before.recordsAtRisk)} (${fmtInt(before.recordsAtRiskCount, lang)})`, `${fmtPct(after.recordsAtRisk)} (${fmtInt(after.recordsAtRiskCount, lang)})`],
    [t('measures.uniques'), fmtInt(before.uniques, lang), fmtInt(after.uniques, lang)],
    [t('classes'), fmtInt(before.classes, lang), fmtInt(after.classes, lang)],
  ];
}

export function describeModel(m: PrivacyModel, lang: Language): string {
  const t = reportText(lang, 'certificate');
  switch (m.model) {
    case 'k-anonymity':
      return `k-anonymity (k = ${m.k})`;
    case 'l-diversity':
      return `${m.variant} l-diversity (l = ${m.l}${m.c !== undefined ? `, c = ${m.c}` : ''}) ${t('onColumn', { column: m.column })}`;
    case 't-closeness':
      return `t-closeness (t = ${m.t}${m.distance ? `, ${m.distance}` : ''}) ${t('onColumn', { column: m.column })}`;
  }
}

function describeTransform(role: string, transform: ColumnTransformSpec | undefined, lang: Language): string {
  const t = reportText(lang, 'certificate');
  if (!transform) return role === 'identifying' ? t('transforms.drop') : role === 'quasi' ? t('transforms.generalise') : t('transforms.keep');
  switch (transform.kind) {
    case 'mask':
      return t('transforms.mask', { first: transform.keepFirst, last: transform.keepLast });
    case 'pseudonymise':
      return transform.reversible ? t('transforms.pseudonymiseReversible') : t('transforms.pseudonymise');
    case 'topBottom':
      return t('transforms.topBottom', { bottom: transform.bottom ?? '—', top: transform.top ?? '—' });
    case 'noise':
      return t('transforms.noise', { epsilon: transform.epsilon });
    default:
      return t(`transforms.${transform.kind}`);
  }
}

/** A hierarchy by its shape only (levels, widths, kept prefix lengths): its rows hold data values. */
function describeHierarchy(h: HierarchySpec, lang: Language): string {
  const t = reportText(lang, 'certificate');
  if ('file' in h) return t('hierarchies.file', { file: basename(h.file) });
  if ('rows' in h) return t('hierarchies.rows', { levels: Math.max(...h.rows.map((r) => r.length)), values: h.rows.length });
  if ('interval' in h) return t('hierarchies.interval', { widths: h.interval.widths.join(', ') });
  if ('date' in h) return t('hierarchies.date');
  return t('hierarchies.prefix', { keep: h.prefix.keep.join(', ') });
}
