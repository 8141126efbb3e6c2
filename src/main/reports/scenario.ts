/**
 * The scenario snapshot: a stored run's dashboard as it stands (its KPIs, what-if settings, notes, every chart drawn
 * by the same builder the dashboard uses, and its tables), with the data versions and models it was made from.
 * Dashboard texts are the dashboard's own (`ui.scenarios.*`), so the PDF says exactly what the screen says.
 */
import { scenarioChartOption } from '../../shared/charts/scenarios.js';
import { hasKey, translate, type Language } from '../../shared/i18n/index.js';
import type { ChartData, Kpi, ScenarioRun, ScenarioTemplate, TableData, WhatIfControl } from '../../shared/model/scenarios.js';
import type { Block, Section } from './document.js';
import { fmtInt, fmtNum, reportText } from './format.js';

export interface ScenarioReportData {
  run: ScenarioRun;
  template: ScenarioTemplate;
  /** The versions the run read, by template table. */
  versions: { table: string; id: string; dataset: string; number: number; rowCount: number; contentHash: string }[];
  models: { id: string; name: string; family: string }[];
}

/** Rows of one dashboard table printed in the snapshot (plans and alert lists can be long). */
export const SNAPSHOT_TABLE_ROWS = 40;

/** Cell values the engines write as keys; the dashboard shows them translated (as run-page.tsx does). */
const TRANSLATED_CELLS = new Set(['approve', 'decline', 'female', 'male', 'sex', 'age', 'pass', 'fail', 'reference', 'insufficient', 'supplier', 'part', 'product', 'plant']);

export function formatKpiValue(kpi: Pick<Kpi, 'value' | 'format'>): string {
  if (kpi.value === null) return '—';
  switch (kpi.format) {
    case 'percent':
      return `${fmtNum(kpi.value * 100, 1)}%`;
    case 'money':
    case 'count':
      return fmtInt(kpi.value, 'en');
    case 'ratio':
      return fmtNum(kpi.value, 3);
    default:
      return fmtNum(kpi.value, 1);
  }
}

function formatControlValue(control: WhatIfControl, value: number): string {
  if (control.format === 'percent') return `${fmtInt(value, 'en')}%`;
  if (control.format === 'money') return fmtInt(value, 'en');
  return fmtNum(value, 2);
}

export function scenarioSections(data: ScenarioReportData, lang: Language): Section[] {
  const t = reportText(lang, 'scenario');
  const c = reportText(lang, 'common');
  const s = (key: string, params?: Record<string, unknown>) => translate(lang, `ui.scenarios.${key}`, params);
  const { run, template } = data;
  const dashboard = run.dashboard;
  const cell = (v: string | number | null) => (v === null ? '—' : typeof v === 'number' ? fmtNum(v, 3).replace(/\.?0+$/, '') || '0' : TRANSLATED_CELLS.has(v) ? s(`values.${v}`) : v);
  const controlLabel = (control: WhatIfControl) =>
    control.label ? s(control.key.startsWith('fail:') ? 'whatIf.fail' : 'whatIf.capacity', { name: control.label }) : s(`whatIf.${control.key}`);
  const isSwitch = (control: WhatIfControl) => control.min === 0 && control.max === 1 && control.step === 1;

  const chartBlock = (chart: ChartData): Block => {
    const series = Object.fromEntries(chart.series.map((x) => [x.name, s(`series.${x.name}`)]));
    const x = chart.x.map((v) => (v === 'female' || v === 'male' ? s(`values.${v}`) : v));
    const categories = chart.kind === 'graph' ? ['supplier', 'part', 'product', 'plant'].map((k) => s(`layers.${k}`)) : undefined;
    return { type: 'chart', option: scenarioChartOption({ ...chart, x }, 'light', { title: s(`charts.${chart.key}`), series, ...(categories ? { categories } : {}) }), height: chart.kind === 'graph' ? 420 : 260 };
  };

  const tableBlocks = (table: TableData): Block[] => [
    { type: 'heading', text: s(`tables.${table.key}`) },
    {
      type: 'table',
      columns: table.columns.map((col) => s(`columns.${col}`)),
      rows: table.rows.slice(0, SNAPSHOT_TABLE_ROWS).map((row) => row.map((v, j) => ((table.key === 'alerts' && table.columns[j] === 'failed') || (table.key === 'impact' && table.columns[j] === 'lost') ? (v === 1 ? '✓' : '—') : cell(v)))),
      align: table.columns.map((_, j) => (typeof table.rows[0]?.[j] === 'number' ? 'right' : 'left')),
    },
    ...(table.rows.length > SNAPSHOT_TABLE_ROWS ? [{ type: 'paragraph', text: t('rowsShown', { shown: SNAPSHOT_TABLE_ROWS, total: table.rows.length }) } as Block] : []),
  ];

  // Fact keys are the engines' names (heldOutRows, modelRocAuc…): printed under their label, a key without one as is.
  const factLabel = (key: string) => (hasKey(`ui.reports.pdf.scenario.factNames.${key}`) ? t(`factNames.${key}`) : key);
  const facts = Object.entries(run.facts).map(([k, v]): [string, string] => [factLabel(k), typeof v === 'number' ? (Number.isInteger(v) ? fmtInt(v, lang) : fmtNum(v, 4)) : v]);

  return [
    {
      title: t('summary'),
      blocks: [
        { type: 'paragraph', text: template.summary[lang] },
        {
          type: 'keyValue',
          rows: [
            [t('scenario'), template.title[lang]],
            [t('run'), run.id],
            [t('source'), s(run.source === 'sample' ? 'sourceSample' : 'sourceOwn')],
            ...(run.source === 'sample' ? [[t('sample'), `${template.sample.name} · ${template.sample.licence}`] as [string, string]] : []),
            [t('createdAt'), run.createdAt],
            [t('updatedAt'), run.updatedAt],
          ],
        },
      ],
    },
    {
      title: s('kpisTitle'),
      blocks: [
        {
          type: 'table',
          columns: [t('kpi'), t('value')],
          rows: dashboard.kpis.map((k) => [s(`kpis.${k.key}`), formatKpiValue(k)]),
          align: ['left', 'right'],
          widths: [2.5, 1],
        },
        ...dashboard.notes.map((n): Block => ({ type: 'note', tone: n.key === 'planInfeasible' ? 'warn' : 'info', text: s(`notes.${n.key}`, { ...n.params, attribute: typeof n.params.attribute === 'string' ? s(`values.${n.params.attribute}`) : n.params.attribute }) })),
      ],
    },
    {
      title: s('whatIfTitle'),
      blocks: dashboard.controls.length
        ? [
            { type: 'paragraph', text: t('whatIfText') },
            {
              type: 'table',
              columns: [t('setting'), t('value'), t('range')],
              rows: dashboard.controls.map((control) => {
                const value = dashboard.whatIf[control.key] ?? control.min;
                return [controlLabel(control), isSwitch(control) ? (value >= 1 ? t('on') : t('off')) : formatControlValue(control, value), isSwitch(control) ? '—' : `${formatControlValue(control, control.min)} … ${formatControlValue(control, control.max)}`];
              }),
              align: ['left', 'right', 'right'],
              widths: [2.4, 1, 1.4],
            },
          ]
        : [{ type: 'paragraph', text: t('noWhatIf') }],
    },
    { title: t('charts'), blocks: dashboard.charts.length ? dashboard.charts.map(chartBlock) : [{ type: 'paragraph', text: t('noCharts') }] },
    ...(dashboard.tables.length ? [{ title: t('tables'), blocks: dashboard.tables.flatMap(tableBlocks) }] : []),
    {
      title: t('madeFrom'),
      blocks: [
        { type: 'heading', text: t('data') },
        {
          type: 'table',
          columns: [t('table'), t('dataset'), c('version'), c('rows'), c('id'), 'SHA-256'],
          rows: data.versions.map((v) => [s(`tablesTitle.${v.table}`), v.dataset, `v${v.number}`, fmtInt(v.rowCount, lang), v.id, v.contentHash]),
          align: ['left', 'left', 'left', 'right', 'left', 'left'],
          widths: [1.2, 1.2, 0.5, 0.7, 1.3, 3],
        },
        { type: 'heading', text: t('models') },
        data.models.length
          ? { type: 'table', columns: [c('id'), t('modelName'), t('family')], rows: data.models.map((m) => [m.id, m.name, m.family]) }
          : { type: 'paragraph', text: t('noModels') },
        { type: 'heading', text: t('facts') },
        facts.length ? { type: 'keyValue', rows: facts } : { type: 'paragraph', text: '—' },
        { type: 'note', tone: 'info', text: t('caveat') },
      ],
    },
  ];
}
