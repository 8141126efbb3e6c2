/** Runs side by side: every metric (the best of each row marked), setup differences, and the loss curves overlaid. */
import { useMemo } from 'react';
import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ModelRecord } from '../../../shared/model/training.js';
import { LineChart, type LineSeries } from '../../ui/charts/line-chart.js';
import { useFormat } from '../../ui/format.js';
import { RUN_COLORS, formatMetric, historyOf, lowerIsBetter, taskOf } from './model-view.js';

export function CompareView({ models, versionLabel }: { models: ModelRecord[]; versionLabel: (versionId: string) => string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const metricNames = useMemo(() => [...new Set(models.flatMap((m) => Object.keys(m.metrics ?? {})))], [models]);
  const color = (i: number) => RUN_COLORS[i % RUN_COLORS.length]!;
  const short = (m: ModelRecord, i: number) => `#${i + 1} ${t(`ui.training.families.${m.family}`)}`;

  const lossSeries = useMemo(() => {
    const s: LineSeries[] = [];
    models.forEach((m, i) => {
      const h = historyOf(m);
      if (h.length === 0) return;
      s.push({ name: `#${i + 1} ${t('ui.training.curve.loss')}`, points: h.map((e) => [e.epoch, e.loss]), color: color(i) });
      const val = h.filter((e) => e.valLoss !== undefined);
      if (val.length > 0) s.push({ name: `#${i + 1} ${t('ui.training.curve.valLoss')}`, points: val.map((e) => [e.epoch, e.valLoss!]), color: color(i), dashed: true });
    });
    return s;
  }, [models, t]);
  const metricSeries = useMemo(() => {
    const s: LineSeries[] = [];
    models.forEach((m, i) => {
      const val = historyOf(m).filter((e) => e.valMetric !== undefined);
      if (val.length > 0) s.push({ name: `#${i + 1}`, points: val.map((e) => [e.epoch, e.valMetric!]), color: color(i) });
    });
    return s;
  }, [models, t]);

  const setupRows: { label: string; values: string[] }[] = [
    { label: t('ui.training.columns.family'), values: models.map((m) => t(`ui.training.families.${m.family}`)) },
    { label: t('ui.training.columns.task'), values: models.map((m) => t(`ui.training.tasks.${taskOf(m)}`)) },
    { label: t('ui.training.columns.version'), values: models.map((m) => versionLabel(m.versionId)) },
    { label: t('ui.training.target'), values: models.map((m) => m.target || '—') },
    { label: t('ui.training.features'), values: models.map((m) => String(m.features.length)) },
    { label: t('ui.training.epochs'), values: models.map((m) => String(m.params.epochs ?? '—')) },
    { label: t('ui.training.learningRate'), values: models.map((m) => String(m.params.learningRate ?? '—')) },
    { label: t('ui.training.columns.backend'), values: models.map((m) => m.backend) },
    { label: t('ui.training.columns.trainTime'), values: models.map((m) => fmt.duration(m.trainMs)) },
    { label: t('ui.training.columns.size'), values: models.map((m) => fmt.bytes(m.sizeBytes)) },
  ];

  return (
    <SimpleGrid cols={{ base: 1, lg: models.length <= 3 ? 2 : 1 }} spacing="md" data-testid="compare-view">
      <Paper withBorder radius="md" style={{ overflow: 'auto', alignSelf: 'start' }}>
        <Table verticalSpacing={6} data-testid="compare-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              {models.map((m, i) => (
                <Table.Th key={m.id} ta="right">
                  <Group gap={6} justify="flex-end" wrap="nowrap" align="baseline">
                    <span style={{ width: 10, height: 10, borderRadius: 5, background: color(i), display: 'inline-block', flex: 'none' }} />
                    <Text size="sm" fw={650}>
                      {short(m, i)}
                    </Text>
                  </Group>
                  <Text size="xs" c="dimmed" fw={400} truncate="end" maw={140} ml="auto" title={m.name}>
                    {m.name}
                  </Text>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {metricNames.map((name) => {
              const values = models.map((m) => m.metrics?.[name]);
              const present = values.filter((v): v is number => v !== undefined);
              const best = present.length > 1 ? (lowerIsBetter(name) ? Math.min(...present) : Math.max(...present)) : undefined;
              return (
                <Table.Tr key={name} data-testid="compare-metric" data-metric={name}>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {name}
                    </Text>
                  </Table.Td>
                  {values.map((v, i) => (
                    <Table.Td key={i} ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {v === undefined ? (
                        '—'
                      ) : v === best ? (
                        <Badge variant="light" color="teal" tt="none" size="md" radius="sm">
                          {formatMetric(v)}
                        </Badge>
                      ) : (
                        <Text size="sm">{formatMetric(v)}</Text>
                      )}
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            })}
            {setupRows.map((row) => (
              <Table.Tr key={row.label}>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {row.label}
                  </Text>
                </Table.Td>
                {row.values.map((v, i) => (
                  <Table.Td key={i} ta="right">
                    <Text size="sm" c={row.values.every((x) => x === row.values[0]) ? 'dimmed' : undefined}>
                      {v}
                    </Text>
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Stack gap="md">
        <Paper withBorder radius="md" p="sm">
          <Text fw={650} size="sm" mb={4}>
            {t('ui.training.compareLoss')}
          </Text>
          {lossSeries.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('ui.training.noHistory')}
            </Text>
          ) : (
            <LineChart series={lossSeries} xName={t('ui.training.curve.epoch')} integerX height={280} data-testid="compare-loss-chart" dataAttributes={{ series: lossSeries.length }} />
          )}
        </Paper>
        {metricSeries.length > 0 && (
          <Paper withBorder radius="md" p="sm">
            <Text fw={650} size="sm" mb={4}>
              {t('ui.training.compareMetric')}
            </Text>
            <LineChart series={metricSeries} xName={t('ui.training.curve.epoch')} integerX height={240} data-testid="compare-metric-chart" />
          </Paper>
        )}
      </Stack>
    </SimpleGrid>
  );
}
