/** The dataset page's Quality tab: the version's score with its formula, alerts, charts, column statistics, and rules. */
import { useEffect, useMemo, useState } from 'react';
import {
  ActionIcon, Alert, Badge, Button, Card, Group, Loader, Popover, Progress, RingProgress, SegmentedControl, SimpleGrid, Stack, Table, Text, Title, Tooltip, EmptyState, List,
  useComputedColorScheme,
} from '@mantine/core';
import { IconAlertTriangle, IconChartBar, IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Version } from '../../../shared/model/catalog.js';
import type { Alert as QualityAlert, ColumnProfile, ProfileReport } from '../../../shared/model/quality.js';
import { correlationHeatmap, dimensionsChart, histogramChart, missingChart, topValuesChart } from '../../../shared/charts/quality.js';
import { describeError, isActiveJob, useApi, useJobs } from '../../api/index.js';
import { EChart } from '../../ui/charts/echart.js';
import { useFormat } from '../../ui/format.js';
import { notifyError } from '../../ui/notify.js';
import { RulesSection } from './rules-section.js';

const qualityKeys = {
  all: ['quality'] as const,
  profile: (versionId: string) => ['quality', 'profile', versionId] as const,
};

const DIMENSIONS = ['completeness', 'uniqueness', 'validity', 'consistency', 'outliers'] as const;

/** Refetches the quality queries whenever a profile or a rule run is stored. */
function useQualityUpdates(): void {
  const api = useApi();
  const queryClient = useQueryClient();
  useEffect(() => api.quality.onDidUpdate(() => void queryClient.invalidateQueries({ queryKey: qualityKeys.all })), [api, queryClient]);
}

export function QualityPanel({ version, datasetName }: { version: Version; datasetName: string }) {
  const { t } = useTranslation();
  const api = useApi();
  useQualityUpdates();
  const profile = useQuery({ queryKey: qualityKeys.profile(version.id), queryFn: () => api.quality.getProfile({ versionId: version.id }) });
  const jobs = useJobs();
  // A profile job of this version, queued or running (started here, by the CLI or automatically).
  const running = (jobs.data ?? []).find((j) => j.kind === 'profile' && j.title === `${datasetName} v${version.number}` && isActiveJob(j));
  const [starting, setStarting] = useState(false);

  const start = async () => {
    setStarting(true);
    try {
      await api.quality.profileVersion({ versionId: version.id });
    } catch (err) {
      notifyError(t('ui.quality.loadFailed'), describeError(err, t));
    } finally {
      setStarting(false);
    }
  };

  if (profile.isPending) {
    return (
      <Group justify="center" py="xl">
        <Loader />
      </Group>
    );
  }
  if (profile.isError) return <Alert color="red" title={t('ui.quality.loadFailed')}>{describeError(profile.error, t)}</Alert>;
  const busy = starting || Boolean(running);
  if (!profile.data) {
    return (
      <Stack gap="lg" pb="xl">
        <EmptyState
          icon={<IconChartBar size={28} />}
          withIndicatorBackground
          title={t('ui.quality.notProfiled')}
          description={t('ui.quality.notProfiledHint')}
          data-testid="quality-empty"
        >
          <EmptyState.Actions>
            <Button onClick={() => void start()} loading={busy} data-testid="quality-profile-now">
              {t('ui.quality.profileNow')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
        {running && <Progress value={running.progress * 100} animated aria-label={t('ui.quality.profiling')} />}
        <RulesSection version={version} />
      </Stack>
    );
  }
  return <ProfileView report={profile.data} version={version} busy={busy} progress={running?.progress ?? null} onProfileAgain={() => void start()} />;
}

function scoreColor(score: number): string {
  return score >= 95 ? 'teal' : score >= 80 ? 'yellow' : 'red';
}

function ProfileView({ report, version, busy, progress, onProfileAgain }: { report: ProfileReport; version: Version; busy: boolean; progress: number | null; onProfileAgain: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const scheme = useComputedColorScheme('light');
  const labels = Object.fromEntries(DIMENSIONS.map((d) => [d, t(`ui.quality.dimensions.${d}`)])) as Record<(typeof DIMENSIONS)[number], string>;
  const correlationMethods = report.correlations.map((c) => c.method);
  const [method, setMethod] = useState<string>(correlationMethods[0] ?? 'pearson');
  const correlation = report.correlations.find((c) => c.method === method) ?? report.correlations[0];
  const [selected, setSelected] = useState<string>(report.columns[0]?.name ?? '');
  const column = report.columns.find((c) => c.name === selected) ?? report.columns[0];

  return (
    <Stack gap="lg" pb="xl" data-testid="quality-panel">
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <Card withBorder padding="md">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={4}>
              <Group gap={6}>
                <Text fw={600}>{t('ui.quality.score')}</Text>
                <FormulaPopover />
              </Group>
              <Text size="xs" c="dimmed">
                {t('ui.quality.summary.profiledAt', { time: fmt.dateTime(report.createdAt), ms: fmt.integer(report.timings.readMs + report.timings.computeMs) })}
              </Text>
            </Stack>
            <Tooltip label={t('ui.quality.profileAgain')}>
              <ActionIcon variant="subtle" onClick={onProfileAgain} loading={busy} aria-label={t('ui.quality.profileAgain')} data-testid="quality-profile-again">
                <IconRefresh size={18} />
              </ActionIcon>
            </Tooltip>
          </Group>
          <Group mt="sm" gap="lg" wrap="nowrap">
            <RingProgress
              size={120}
              thickness={12}
              roundCaps
              sections={[{ value: report.qualityScore, color: scoreColor(report.qualityScore) }]}
              label={
                <Text ta="center" fw={700} size="xl" data-testid="quality-score">
                  {fmt.decimal(report.qualityScore, 1)}
                </Text>
              }
            />
            <Stack gap={2}>
              <Stat label={t('ui.quality.summary.rows')} value={fmt.integer(report.rowCount)} />
              <Stat label={t('ui.quality.summary.columns')} value={fmt.integer(report.columns.length)} />
              <Stat label={t('ui.quality.summary.duplicateRows')} value={fmt.integer(report.duplicateRows)} testId="quality-duplicates" />
              <Stat label={t('ui.quality.summary.rowsWithMissing')} value={fmt.integer(report.rowsWithMissing)} testId="quality-rows-missing" />
            </Stack>
          </Group>
          {progress !== null && <Progress mt="sm" value={progress * 100} animated aria-label={t('ui.quality.profiling')} />}
        </Card>
        <Card withBorder padding="md">
          <Text fw={600} mb={4}>
            {t('ui.quality.charts.dimensions')}
          </Text>
          <EChart option={dimensionsChart(report.dimensions, labels, scheme)} height={170} data-testid="quality-chart-dimensions" />
          {report.dimensions.validity === null && (
            <Text size="xs" c="dimmed">
              {t('ui.quality.dimensions.validity')}: {t('ui.quality.notMeasured')}
            </Text>
          )}
        </Card>
        <Card withBorder padding="md">
          <Text fw={600} mb={4}>
            {t('ui.quality.alerts')}{' '}
            <Badge size="sm" variant="light" color={report.alerts.length ? 'orange' : 'teal'}>
              {report.alerts.length}
            </Badge>
          </Text>
          <AlertsList alerts={report.alerts} rows={report.rowCount} />
        </Card>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card withBorder padding="md">
          <Text fw={600} mb={4}>
            {t('ui.quality.charts.missing')}
          </Text>
          {report.columns.some((c) => c.missing > 0) ? (
            <EChart option={missingChart(report.columns, scheme)} height={Math.max(120, 28 * report.columns.filter((c) => c.missing > 0).length + 40)} data-testid="quality-chart-missing" />
          ) : (
            <Text size="sm" c="dimmed">
              0
            </Text>
          )}
        </Card>
        <Card withBorder padding="md">
          <Group justify="space-between" mb={4}>
            <Text fw={600}>{t('ui.quality.charts.correlations')}</Text>
            {correlationMethods.length > 1 && (
              <SegmentedControl
                size="xs"
                value={method}
                onChange={setMethod}
                data={correlationMethods.map((m) => ({ value: m, label: t(m === 'pearson' ? 'ui.quality.charts.pearson' : 'ui.quality.charts.cramers') }))}
              />
            )}
          </Group>
          {correlation ? <EChart option={correlationHeatmap(correlation, scheme)} height={320} data-testid="quality-chart-correlation" /> : <Text size="sm" c="dimmed">—</Text>}
        </Card>
      </SimpleGrid>

      <Card withBorder padding="md">
        <Title order={5} mb="xs">
          {t('ui.quality.columnsTitle')}
        </Title>
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <ColumnsTable columns={report.columns} selected={column?.name ?? ''} onSelect={setSelected} />
          {column && <ColumnDetail column={column} />}
        </SimpleGrid>
      </Card>

      <RulesSection version={version} />
    </Stack>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} data-testid={testId}>
        {value}
      </Text>
    </Group>
  );
}

function FormulaPopover() {
  const { t } = useTranslation();
  return (
    <Popover width={420} position="bottom-start" withArrow shadow="md">
      <Popover.Target>
        <ActionIcon variant="subtle" size="sm" aria-label={t('ui.quality.howComputed')} data-testid="quality-formula-button">
          <IconInfoCircle size={16} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown data-testid="quality-formula">
        <Text fw={600} size="sm" mb={4}>
          {t('ui.quality.formulaTitle')}
        </Text>
        <Text size="xs" mb="xs">
          {t('ui.quality.formulaIntro')}
        </Text>
        <List size="xs" spacing={4}>
          {DIMENSIONS.map((d) => (
            <List.Item key={d}>{t(`ui.quality.formula.${d}`)}</List.Item>
          ))}
        </List>
      </Popover.Dropdown>
    </Popover>
  );
}

function AlertsList({ alerts, rows }: { alerts: QualityAlert[]; rows: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (alerts.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="quality-alerts">
        {t('ui.quality.noAlerts')}
      </Text>
    );
  }
  return (
    <Stack gap={6} data-testid="quality-alerts" mah={200} style={{ overflowY: 'auto' }}>
      {alerts.map((a, i) => {
        const share = ['missing', 'zeros', 'mixed-types'].includes(a.kind);
        const text = t(`ui.quality.alertText.${a.kind}`, {
          column: a.column ?? '',
          other: a.otherColumn ?? '',
          percent: share ? fmt.percent(a.value) : '',
          value: a.kind === 'duplicates' || a.kind === 'high-cardinality' ? fmt.integer(a.value) : fmt.decimal(a.value, 2),
        });
        return (
          <Group key={i} gap={8} wrap="nowrap" data-testid="quality-alert" data-alert-kind={a.kind}>
            <Badge size="sm" variant="light" color={a.kind === 'duplicates' || a.kind === 'missing' || a.kind === 'mixed-types' ? 'orange' : 'gray'} leftSection={<IconAlertTriangle size={12} />} style={{ flexShrink: 0 }}>
              {t(`ui.quality.alertKinds.${a.kind}`)}
            </Badge>
            <Text size="sm" truncate="end">
              {text}
            </Text>
          </Group>
        );
      })}
      <Text size="xs" c="dimmed">
        {fmt.integer(rows)} {t('ui.quality.summary.rows')}
      </Text>
    </Stack>
  );
}

function ColumnsTable({ columns, selected, onSelect }: { columns: ColumnProfile[]; selected: string; onSelect: (name: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const num = (x: number | null | undefined) => (x === null || x === undefined ? '—' : fmt.decimal(x, 3));
  return (
    <Table.ScrollContainer minWidth={560} mah={420}>
      <Table highlightOnHover striped stickyHeader data-testid="quality-columns">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('ui.quality.column.name')}</Table.Th>
            <Table.Th>{t('ui.quality.column.type')}</Table.Th>
            <Table.Th ta="right">{t('ui.quality.column.missing')}</Table.Th>
            <Table.Th ta="right">{t('ui.quality.column.distinct')}</Table.Th>
            <Table.Th ta="right">{t('ui.quality.column.mean')}</Table.Th>
            <Table.Th ta="right">{t('ui.quality.column.std')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {columns.map((c) => (
            <Table.Tr
              key={c.name}
              onClick={() => onSelect(c.name)}
              style={{ cursor: 'pointer' }}
              bg={c.name === selected ? 'var(--mantine-primary-color-light)' : undefined}
              data-testid="quality-column-row"
            >
              <Table.Td fw={500}>{c.name}</Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {t(`ui.types.${c.type}`)}
                </Text>
              </Table.Td>
              <Table.Td ta="right">{c.missing > 0 ? `${fmt.integer(c.missing)} (${fmt.percent(c.missing / (c.count + c.missing))})` : '0'}</Table.Td>
              <Table.Td ta="right">{fmt.integer(c.distinct)}</Table.Td>
              <Table.Td ta="right">{num(c.numeric?.mean)}</Table.Td>
              <Table.Td ta="right">{num(c.numeric?.std)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ColumnDetail({ column }: { column: ColumnProfile }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const scheme = useComputedColorScheme('light');
  const facts = useMemo(() => {
    const rows: [string, string][] = [];
    const n = column.numeric;
    if (n) {
      const q = n.quantiles;
      rows.push([t('ui.quality.column.min'), fmt.decimal(n.min, 4)], [t('ui.quality.column.max'), fmt.decimal(n.max, 4)]);
      rows.push([t('ui.quality.column.quantiles'), [q.p1, q.p5, q.p25, q.p50, q.p75, q.p95, q.p99].map((x) => fmt.decimal(x, 3)).join(' · ')]);
      rows.push([t('ui.quality.column.skewness'), n.skewness === null ? '—' : fmt.decimal(n.skewness, 3)]);
      rows.push([t('ui.quality.column.zeros'), fmt.integer(n.zeros)], [t('ui.quality.column.outliers'), fmt.integer(n.outliers)]);
    }
    const x = column.text;
    if (x) {
      rows.push([t('ui.quality.column.length'), `${x.minLength} / ${fmt.decimal(x.meanLength, 1)} / ${x.maxLength}`]);
      rows.push([t('ui.quality.column.patterns'), x.patterns.slice(0, 4).map((p) => `${p.pattern} (${fmt.integer(p.count)})`).join(' · ')]);
    }
    return rows;
  }, [column, fmt, t]);
  const histogram = column.numeric && column.distinct > 10 ? column.numeric.histogram : null;
  return (
    <Stack gap="xs" data-testid="quality-column-detail">
      <Text fw={600}>
        {t('ui.quality.pickColumn')}: {column.name}
      </Text>
      {histogram ? (
        <>
          <Text size="sm" c="dimmed">
            {t('ui.quality.charts.histogram')}
          </Text>
          <EChart option={histogramChart(histogram, t('ui.quality.charts.count'), scheme)} height={200} data-testid="quality-chart-histogram" />
        </>
      ) : (
        column.topValues.length > 0 && (
          <>
            <Text size="sm" c="dimmed">
              {t('ui.quality.charts.topValues')}
            </Text>
            <EChart option={topValuesChart(column.topValues, scheme)} height={Math.max(120, 24 * column.topValues.length + 24)} data-testid="quality-chart-top-values" />
          </>
        )
      )}
      <Table fz="xs" withRowBorders={false}>
        <Table.Tbody>
          {facts.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td c="dimmed" w={180}>
                {k}
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
