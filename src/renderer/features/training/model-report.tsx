/** The model page's evaluation: metrics table, confusion matrix, ROC, cross-validation, search trials, learning curves. */
import { useMemo, type ReactNode } from 'react';
import { Badge, Group, Paper, Stack, Table, Text, Tooltip, useComputedColorScheme } from '@mantine/core';
import { IconStarFilled } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ModelRecord, ModelReport } from '../../../shared/model/training.js';
import { BarChart } from '../../ui/charts/bar-chart.js';
import { LineChart, type LineSeries } from '../../ui/charts/line-chart.js';
import { useFormat } from '../../ui/format.js';
import { CURVE_COLORS, formatMetric, historyOf, lowerIsBetter } from './model-view.js';

export function Section({ title, hint, children, testId }: { title: string; hint?: string; children: ReactNode; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Text fw={650} size="sm">
        {title}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed" mb={6}>
          {hint}
        </Text>
      )}
      <div style={{ marginTop: hint ? 0 : 6 }}>{children}</div>
    </Paper>
  );
}

export function MetricsTable({ metrics, compare, testId = 'model-metrics' }: { metrics: Record<string, number>; compare?: Record<string, number>; testId?: string }) {
  const { t } = useTranslation();
  const entries = Object.entries(metrics);
  if (entries.length === 0) return <Text size="sm" c="dimmed">{t('ui.training.noMetrics')}</Text>;
  return (
    <Table verticalSpacing={4} data-testid={testId}>
      {compare && (
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('ui.training.metric')}</Table.Th>
            <Table.Th ta="right">{t('ui.training.before')}</Table.Th>
            <Table.Th ta="right">{t('ui.training.after')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
      )}
      <Table.Tbody>
        {entries.map(([name, value]) => (
          <Table.Tr key={name} data-testid="model-metric" data-metric={name} data-value={value}>
            <Table.Td>
              <Tooltip label={t(`ui.training.metricHelp.${name}`, { defaultValue: name })} disabled={!t(`ui.training.metricHelp.${name}`, { defaultValue: '' })}>
                <Text size="sm" ff="monospace">
                  {name}
                </Text>
              </Tooltip>
            </Table.Td>
            {compare && (
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                <Text size="sm" c="dimmed">
                  {compare[name] !== undefined ? formatMetric(compare[name]) : '—'}
                </Text>
              </Table.Td>
            )}
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
              <Text size="sm" fw={600} c={compare && compare[name] !== undefined ? deltaColor(name, compare[name], value) : undefined}>
                {formatMetric(value)}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function deltaColor(name: string, before: number, after: number): string | undefined {
  if (Math.abs(after - before) < 1e-9) return undefined;
  const better = lowerIsBetter(name) ? after < before : after > before;
  return better ? 'teal' : 'red';
}

/** Rows are the true classes, columns the predicted; cells shaded by their share of the row. */
export function ConfusionMatrix({ classes, matrix }: { classes: string[]; matrix: number[][] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const dark = useComputedColorScheme('light') === 'dark';
  const labels = classes.length === matrix.length ? classes : matrix.map((_, i) => String(i));
  return (
    <Stack gap={4}>
      <Table withTableBorder withColumnBorders verticalSpacing={6} style={{ width: 'auto' }} data-testid="model-confusion">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              <Text size="xs" c="dimmed">
                {t('ui.training.trueVsPredicted')}
              </Text>
            </Table.Th>
            {labels.map((c) => (
              <Table.Th key={c} ta="center">
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {matrix.map((row, i) => {
            const total = row.reduce((s, v) => s + v, 0) || 1;
            return (
              <Table.Tr key={i}>
                <Table.Th>{labels[i]}</Table.Th>
                {row.map((v, j) => {
                  const share = v / total;
                  const hue = i === j ? '18, 184, 134' : '250, 82, 82';
                  return (
                    <Table.Td
                      key={j}
                      ta="center"
                      miw={72}
                      style={{ background: `rgba(${hue}, ${(dark ? 0.15 : 0.08) + share * 0.6})`, fontVariantNumeric: 'tabular-nums' }}
                      data-cell={`${i}-${j}`}
                    >
                      <Text size="sm" fw={600}>
                        {fmt.integer(v)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {fmt.decimal(share * 100, 1)}%
                      </Text>
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

export function RocCurve({ roc, auc }: { roc: { fpr: number[]; tpr: number[] }; auc: number | undefined }) {
  const { t } = useTranslation();
  const series: LineSeries[] = useMemo(
    () => [
      { name: auc !== undefined ? `ROC (AUC ${formatMetric(auc)})` : 'ROC', points: roc.fpr.map((x, i) => [x, roc.tpr[i] ?? 0]), color: CURVE_COLORS.loss, symbols: false, area: true },
      { name: t('ui.training.chance'), points: [[0, 0], [1, 1]], color: '#adb5bd', dashed: true, symbols: false },
    ],
    [roc, auc, t],
  );
  return <LineChart series={series} xName={t('ui.training.fpr')} yName={t('ui.training.tpr')} xMin={0} xMax={1} yMin={0} yMax={1} height={300} data-testid="model-roc" />;
}

export function LearningCurves({ model }: { model: ModelRecord }) {
  const { t } = useTranslation();
  const history = historyOf(model);
  const metricName = model.report?.validationMetric;
  const valMetricLabel = metricName ? t('ui.training.curve.valMetricNamed', { metric: metricName }) : t('ui.training.curve.valMetric');
  const series = useMemo(() => {
    const s: LineSeries[] = [{ name: t('ui.training.curve.loss'), points: history.map((h) => [h.epoch, h.loss]), color: CURVE_COLORS.loss }];
    const val = history.filter((h) => h.valLoss !== undefined);
    if (val.length) s.push({ name: t('ui.training.curve.valLoss'), points: val.map((h) => [h.epoch, h.valLoss!]), color: CURVE_COLORS.valLoss });
    const metric = history.filter((h) => h.valMetric !== undefined);
    if (metric.length) s.push({ name: valMetricLabel, points: metric.map((h) => [h.epoch, h.valMetric!]), color: CURVE_COLORS.valMetric, right: true, dashed: true });
    return s;
  }, [history, t, valMetricLabel]);
  if (history.length === 0) return <Text size="sm" c="dimmed">{t('ui.training.noHistory')}</Text>;
  // Closed-form and one-pass fits (linear, k-means, isolation forest, …) have a single entry: no curve to draw.
  if (history.length === 1) {
    const h = history[0]!;
    return (
      <Text size="sm" c="dimmed" data-testid="model-one-pass">
        {t('ui.training.onePass', { loss: formatMetric(h.loss) })}
        {h.valLoss !== undefined ? ` · ${t('ui.training.curve.valLoss')} ${formatMetric(h.valLoss)}` : ''}
        {h.valMetric !== undefined ? ` · ${valMetricLabel} ${formatMetric(h.valMetric)}` : ''}
      </Text>
    );
  }
  const stopped = model.report?.stoppedEarly;
  return (
    <Stack gap={4}>
      {stopped && (
        <Text size="xs" c="dimmed" data-testid="model-stopped-early">
          {t('ui.training.stoppedEarly', { epoch: stopped.epoch, best: stopped.bestEpoch })}
        </Text>
      )}
      <LineChart series={series} xName={t('ui.training.curve.epoch')} xMin={1} integerX rightName={valMetricLabel} height={280} data-testid="model-curves" dataAttributes={{ points: history.length }} />
    </Stack>
  );
}

export function CrossValidation({ cv }: { cv: NonNullable<ModelReport['cv']> }) {
  const { t } = useTranslation();
  const series = useMemo(() => [{ name: cv.metric, values: cv.scores, color: '#4c6ef5' }], [cv]);
  return (
    <Stack gap={4} data-testid="model-cv">
      <Text size="sm">
        {t('ui.training.cvSummary', { folds: cv.folds, metric: cv.metric, mean: formatMetric(cv.mean), std: formatMetric(cv.std) })}
      </Text>
      <BarChart categories={cv.scores.map((_, i) => t('ui.training.fold', { n: i + 1 }))} series={series} format={(v) => String(Math.round(v * 1000) / 1000)} height={200} />
    </Stack>
  );
}

export function Trials({ trials }: { trials: NonNullable<ModelReport['trials']> }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const metric = trials[0]?.metric ?? '';
  const sorted = [...trials].sort((a, b) => (lowerIsBetter(a.metric) ? a.score - b.score : b.score - a.score));
  return (
    <Table verticalSpacing={4} striped data-testid="model-trials">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>#</Table.Th>
          <Table.Th>{t('ui.training.columns.family')}</Table.Th>
          <Table.Th>{t('ui.training.hyperParams')}</Table.Th>
          <Table.Th ta="right">{metric}</Table.Th>
          <Table.Th ta="right">{t('ui.training.columns.trainTime')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sorted.map((trial, i) => (
          <Table.Tr key={i} data-chosen={trial.chosen}>
            <Table.Td>{i + 1}</Table.Td>
            <Table.Td>
              <Group gap={4} wrap="nowrap">
                {t(`ui.training.families.${trial.family}`, { defaultValue: trial.family })}
                {trial.chosen && (
                  <Badge size="xs" color="teal" variant="light" leftSection={<IconStarFilled size={9} />} tt="none">
                    {t('ui.training.chosen')}
                  </Badge>
                )}
              </Group>
            </Table.Td>
            <Table.Td>
              <Text size="xs" ff="monospace">
                {Object.entries(trial.hyper)
                  .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`)
                  .join(' ') || '—'}
              </Text>
            </Table.Td>
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatMetric(trial.score)}
            </Table.Td>
            <Table.Td ta="right">{fmt.duration(trial.trainMs)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
