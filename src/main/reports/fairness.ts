/**
 * The fairness audit report (Aequitas-style bias report): what was audited, groups with their rates, disparities with
 * intervals and four-fifths verdicts, the fairness page's charts, and mitigations with before/after.
 */
import { calibrationOption, disparateImpactOption, metricByGroupOption, tradeoffOption } from '../../shared/charts/fairness.js';
import type { Language } from '../../shared/i18n/index.js';
import type { AuditRecord, DisparityMetric, Interval } from '../../shared/model/fairness.js';
import type { Block, Section } from './document.js';
import { fmtInt, fmtNum, reportText } from './format.js';

export interface FairnessReportData {
  audit: AuditRecord;
  dataset: { id: string; name: string };
  versionNumber: number;
  model: { id: string; name: string } | null;
  /** Mitigations recorded as children of this audit (threshold optimiser, reweighing). */
  mitigations: AuditRecord[];
}

const DISPARITIES: DisparityMetric[] = ['demographicParityDifference', 'demographicParityRatio', 'equalizedOddsDifference', 'equalizedOddsRatio', 'equalOpportunityDifference'];

const rate = (v: number | null | undefined) => (v === null || v === undefined ? '—' : fmtNum(v, 3));
const interval = (ci: Interval | null | undefined) => (ci && ci.low !== null && ci.high !== null ? `[${fmtNum(ci.low, 3)}, ${fmtNum(ci.high, 3)}]` : '—');

export function fairnessSections(data: FairnessReportData, lang: Language): Section[] {
  const t = reportText(lang, 'fairness');
  const { audit } = data;
  const result = audit.result;
  const d = result.disparities;
  const compared = result.groups.filter((g) => !g.small);
  const failing = Object.entries(d.disparateImpact).filter(([, v]) => v.verdict === 'fail').map(([k]) => k);
  const reference = Object.entries(result.reference).map(([k, v]) => `${k}=${v}`).join(', ');

  const summary: Section = {
    title: t('summary'),
    blocks: [
      {
        type: 'note',
        tone: failing.length ? 'warn' : 'ok',
        text: failing.length ? t('verdictFail', { groups: failing.join('; '), n: failing.length }) : t('verdictPass', { n: compared.length }),
      },
      {
        type: 'keyValue',
        rows: [
          [t('audit'), `${audit.name} (${audit.id})`],
          [t('kind'), t(`kinds.${audit.kind}`)],
          [t('dataset'), `${data.dataset.name} v${data.versionNumber} (${audit.versionId})`],
          [t('model'), data.model ? `${data.model.name} (${data.model.id})` : t('noModel')],
          [t('label'), `${audit.request.label} (${t('positive')}: ${audit.positive})`],
          [t('sensitive'), result.columns.join(', ')],
          [t('reference'), reference || '—'],
          [t('rows'), t('rowsValue', { rows: fmtInt(audit.rows, lang), excluded: fmtInt(audit.excludedRows, lang) })],
          [t('settings'), t('settingsValue', { min: result.settings.minGroupSize, bootstrap: result.settings.bootstrap, confidence: Math.round(result.settings.confidence * 100), seed: result.settings.seed })],
          [t('overall'), t('overallValue', { accuracy: rate(result.overall.accuracy), selection: rate(result.overall.selectionRate), base: rate(result.overall.baseRate) })],
        ],
      },
    ],
  };

  const disparities: Section = {
    title: t('disparities'),
    blocks: [
      { type: 'paragraph', text: t('disparitiesText') },
      disparitiesTable(audit, lang),
      ...(d.excludedSmallGroups.length ? [{ type: 'note', tone: 'info', text: t('smallGroups', { groups: d.excludedSmallGroups.join('; '), min: result.settings.minGroupSize }) } as Block] : []),
    ],
  };

  const groups: Section = {
    title: t('groups'),
    blocks: [
      groupsTable(audit, lang),
      { type: 'heading', text: t('selectionChart') },
      { type: 'chart', option: metricByGroupOption(result.groups, 'selectionRate', 'light', { metric: t('selection'), small: t('small') }), height: 80 + 26 * Math.min(result.groups.length, 20) },
      { type: 'heading', text: t('diChart') },
      { type: 'chart', option: disparateImpactOption(result.groups, d.disparateImpact, 'light', { axis: t('di'), fourFifths: t('fourFifths') }), height: 80 + 26 * Math.min(result.groups.length, 20) },
      ...(result.groups.some((g) => g.calibration && g.calibration.bins.length)
        ? ([{ type: 'heading', text: t('calibration') }, { type: 'chart', option: calibrationOption(result.groups, 'light', { predicted: t('predicted'), observed: t('observed'), perfect: t('perfect') }), height: 300 }] as Block[])
        : []),
      ...(audit.tradeoff?.length
        ? ([{ type: 'heading', text: t('tradeoff') }, { type: 'chart', option: tradeoffOption(audit.tradeoff, 'light', { threshold: t('threshold'), accuracy: t('accuracy'), disparity: t('disparity') }), height: 280 }] as Block[])
        : []),
    ],
  };

  const all = [...(audit.mitigation ? [audit] : []), ...data.mitigations];
  const mitigation: Section = {
    title: t('mitigation'),
    blocks: all.length
      ? [
          {
            type: 'table',
            columns: [t('method'), t('constraint'), t('accuracyBefore'), t('accuracyAfter'), t('disparityBefore'), t('disparityAfter')],
            rows: all.map((a) => [
              `${t(`kinds.${a.mitigation!.method}`)}${a.id !== audit.id ? ` (${a.id})` : ''}`,
              t(`constraints.${a.mitigation!.constraint}`),
              rate(a.mitigation!.before.accuracy),
              rate(a.mitigation!.after.accuracy),
              rate(a.mitigation!.before.disparity),
              rate(a.mitigation!.after.disparity),
            ]),
            align: ['left', 'left', 'right', 'right', 'right', 'right'],
            widths: [1.8, 1.4, 0.8, 0.8, 0.8, 0.8],
          },
        ]
      : [{ type: 'paragraph', text: t('noMitigation') }],
  };

  return [summary, disparities, groups, mitigation, { title: t('method'), blocks: [{ type: 'paragraph', text: t('methodText') }, { type: 'note', tone: 'info', text: t('caveat') }] }];
}

/** The Fairlearn disparities with their intervals (also in the model card, for each audit of the model). */
export function disparitiesTable(audit: AuditRecord, lang: Language): Block {
  const t = reportText(lang, 'fairness');
  const { result } = audit;
  return {
    type: 'table',
    columns: [t('metric'), t('value'), t('ci', { level: Math.round(result.settings.confidence * 100) })],
    rows: DISPARITIES.map((m) => [t(`metrics.${m}`), rate(result.disparities[m]), interval(result.disparities.ci?.[m])]),
    align: ['left', 'right', 'right'],
    widths: [2.4, 0.8, 1.2],
  };
}

/** Per group: n, rates, disparate-impact ratio with its interval and four-fifths verdict. */
export function groupsTable(audit: AuditRecord, lang: Language): Block {
  const t = reportText(lang, 'fairness');
  const d = audit.result.disparities;
  return {
    type: 'table',
    columns: [t('group'), 'n', t('selection'), 'TPR', 'FPR', t('accuracy'), t('di'), t('diCi'), t('verdict')],
    rows: audit.result.groups.map((g) => {
      const di = d.disparateImpact[g.key];
      return [
        g.key + (g.reference ? ` (${t('ref')})` : '') + (g.small ? ` (${t('small')})` : ''),
        fmtInt(g.n, lang),
        rate(g.selectionRate),
        rate(g.tpr),
        rate(g.fpr),
        rate(g.accuracy),
        rate(di?.ratio),
        interval(di?.ci),
        di ? t(`verdicts.${di.verdict}`) : '—',
      ];
    }),
    align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    widths: [2.2, 0.7, 0.8, 0.7, 0.7, 0.8, 0.7, 1.3, 0.9],
  };
}

/** Groups failing the four-fifths rule. */
export function failingGroups(audit: AuditRecord): string[] {
  return Object.entries(audit.result.disparities.disparateImpact).filter(([, v]) => v.verdict === 'fail').map(([k]) => k);
}
