/** Step 4's outcome: chosen levels, suppression, information loss, risk before/after and class sizes. */
import { useMemo } from 'react';
import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AnonymiseResult } from '../../../shared/model/privacy.js';
import { BarChart } from '../../ui/charts/bar-chart.js';
import { useFormat } from '../../ui/format.js';

const BUCKETS = ['1', '2', '3-4', '5-9', '10-19', '20-49', '50+'];
const BEFORE = '#fa5252';
const AFTER = '#12b886';

export function ResultsView({ result }: { result: AnonymiseResult }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { before, after } = result.risk;
  const pct = (v: number) => fmt.decimal(v * 100, 1) + '%';
  const riskSeries = useMemo(
    () => [
      { name: t('ui.privacy.results.before'), values: [before.prosecutorMax, before.prosecutorAvg, before.marketer, before.recordsAtRisk], color: BEFORE },
      { name: t('ui.privacy.results.after'), values: [after.prosecutorMax, after.prosecutorAvg, after.marketer, after.recordsAtRisk], color: AFTER },
    ],
    [before, after, t],
  );
  const riskCategories = useMemo(
    () => [t('ui.privacy.risk.prosecutorMax'), t('ui.privacy.risk.prosecutorAvg'), t('ui.privacy.risk.marketer'), t('ui.privacy.risk.recordsAtRisk', { threshold: pct(after.threshold) })],
    [t, after.threshold],
  );
  const histSeries = useMemo(
    () => [
      { name: t('ui.privacy.results.before'), values: BUCKETS.map((b) => before.histogram[b] ?? 0), color: BEFORE },
      { name: t('ui.privacy.results.after'), values: BUCKETS.map((b) => after.histogram[b] ?? 0), color: AFTER },
    ],
    [before, after, t],
  );
  const stats: { key: string; label: string; value: string; testId?: string }[] = [
    { key: 'rows', label: t('ui.privacy.results.rows'), value: fmt.integer(result.rowCount), testId: 'result-rows' },
    { key: 'suppressed', label: t('ui.privacy.results.suppressed'), value: fmt.integer(result.suppressedRows), testId: 'result-suppressed' },
    { key: 'classes', label: t('ui.privacy.results.classes'), value: `${fmt.integer(result.classes)} · ${t('ui.privacy.results.smallest', { n: fmt.integer(result.smallestClass) })}` },
    { key: 'loss', label: t('ui.privacy.results.loss'), value: pct(result.infoLoss.loss ?? result.infoLoss.granularity), testId: 'result-loss' },
    { key: 'risk', label: t('ui.privacy.results.riskAfter'), value: `${pct(before.prosecutorMax)} → ${pct(after.prosecutorMax)}`, testId: 'result-risk' },
    { key: 'search', label: t('ui.privacy.results.search'), value: t('ui.privacy.results.searchValue', { nodes: fmt.integer(result.nodesChecked), ms: fmt.decimal(result.searchMs, 0) }) },
  ];
  if (result.utility) {
    stats.push({
      key: 'utility',
      label: t('ui.privacy.results.utility', { target: result.utility.target }),
      value: `${pct(result.utility.accuracyOriginal)} → ${pct(result.utility.accuracyAnonymised)}`,
      testId: 'result-utility',
    });
  }
  return (
    <Stack gap="md" data-testid="privacy-results" data-risk-after={after.prosecutorMax} data-suppressed={result.suppressedRows}>
      <SimpleGrid cols={{ base: 2, md: 3, lg: result.utility ? 7 : 6 }} spacing="sm">
        {stats.map((s) => (
          <Paper key={s.key} withBorder radius="md" p="sm">
            <Text size="xs" c="dimmed">{s.label}</Text>
            <Text fw={650} size="lg" data-testid={s.testId} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {s.value}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder radius="md" p="sm">
          <Text fw={650} size="sm" mb={4}>{t('ui.privacy.results.riskChart')}</Text>
          <BarChart categories={riskCategories} series={riskSeries} format={pct} data-testid="risk-chart" />
        </Paper>
        <Paper withBorder radius="md" p="sm">
          <Text fw={650} size="sm" mb={4}>{t('ui.privacy.results.histogram')}</Text>
          <Text size="xs" c="dimmed">{t('ui.privacy.results.histogramHint')}</Text>
          <BarChart categories={BUCKETS} series={histSeries} format={(v) => fmt.integer(v)} logScale data-testid="class-histogram" />
        </Paper>
      </SimpleGrid>
      <Paper withBorder radius="md" p="sm">
        <Text fw={650} size="sm" mb={6}>{t('ui.privacy.results.levels')}</Text>
        <Group gap="xs" data-testid="result-levels">
          {Object.entries(result.node).map(([column, level]) => (
            <Badge key={column} variant="light" tt="none" size="lg" data-column={column} data-level={level}>
              {column}: {t('ui.privacy.results.level', { n: level })}
            </Badge>
          ))}
        </Group>
        <Table mt="sm" verticalSpacing={2} fz="xs" withRowBorders={false}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td c="dimmed">{t('ui.privacy.results.satisfied')}</Table.Td>
              <Table.Td>{result.satisfied.map((m) => Object.entries(m).map(([k, v]) => (k === 'model' ? String(v) : `${k}=${String(v)}`)).join(' ')).join(' · ')}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td c="dimmed">{t('ui.privacy.results.metrics')}</Table.Td>
              <Table.Td>
                {result.infoLoss.loss !== null && `${t('ui.privacy.metric.loss')} ${fmt.decimal(result.infoLoss.loss, 4)} · `}{t('ui.privacy.results.granularity')} {fmt.decimal(result.infoLoss.granularity, 4)} · {t('ui.privacy.metric.discernibility')} {fmt.integer(result.infoLoss.discernibility)} · {t('ui.privacy.metric.avgClassSize')} {fmt.decimal(result.infoLoss.avgClassSize, 2)}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td c="dimmed">{t('ui.privacy.models.algorithm')}</Table.Td>
              <Table.Td>{t(`ui.privacy.algorithm.${result.algorithm}`)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td c="dimmed">{t('ui.privacy.results.uniques')}</Table.Td>
              <Table.Td>
                {fmt.integer(before.uniques)} → {fmt.integer(after.uniques)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
