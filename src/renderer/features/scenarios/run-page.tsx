/**
 * One stored scenario run as a dashboard: KPIs, what-if sliders (each change recomputes on the server — a plan
 * re-solved, scores re-cut — and is stored with the run), charts drawn from the run's chart data, tables, notes.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Anchor, Badge, Card, Group, Loader, ScrollArea, SimpleGrid, Slider, Stack, Switch, Table, Text, Title, useComputedColorScheme } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/i18n/index.js';
import { scenarioChartOption } from '../../../shared/charts/scenarios.js';
import type { ChartData, ScenarioRun, TableData, WhatIfControl } from '../../../shared/model/scenarios.js';
import { describeError, useApi } from '../../api/index.js';
import { EChart } from '../../ui/charts/echart.js';
import { useFormat } from '../../ui/format.js';
import { routeHref } from '../../ui/routing.js';
import { formatControl, formatKpi } from './format.js';
import { scenarioRunsKey } from './use-scenario-job.js';
import { ExportReportButton } from '../reports/index.js';

const runKey = (runId: string) => ['scenarios', 'run', runId] as const;
/** Slider moves are sent after this quiet time, so a drag recomputes once it settles. */
const WHAT_IF_DEBOUNCE_MS = 250;

export function ScenarioRunPage({ runId }: { runId: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const lang = (i18n.language === 'zh-CN' ? 'zh-CN' : 'en') as Language;
  const run = useQuery({ queryKey: runKey(runId), queryFn: () => api.scenarios.getRun({ runId }) });
  const templates = useQuery({ queryKey: ['scenarios', 'templates'], queryFn: () => api.scenarios.listTemplates({}), staleTime: Infinity });
  const [draft, setDraft] = useState<Record<string, number>>({});
  const [recomputing, setRecomputing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  if (run.isLoading) return <Loader m="md" />;
  if (run.isError || !run.data) return <Alert color="red" m="md">{t('ui.scenarios.loadFailed')}</Alert>;
  const data = run.data;
  const template = templates.data?.find((x) => x.id === data.scenarioId);
  const dashboard = data.dashboard;

  const change = (key: string, value: number) => {
    const next = { ...draft, [key]: value };
    setDraft(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setRecomputing(true);
      setError(null);
      api.scenarios
        .updateWhatIf({ runId, whatIf: next })
        .then((updated: ScenarioRun) => {
          queryClient.setQueryData(runKey(runId), updated);
          void queryClient.invalidateQueries({ queryKey: scenarioRunsKey });
          setDraft({});
        })
        .catch((err: unknown) => setError(describeError(err, t)))
        .finally(() => setRecomputing(false));
    }, WHAT_IF_DEBOUNCE_MS);
  };

  return (
    <Stack gap="md" p="md" data-testid="scenario-dashboard">
      <Anchor href={routeHref({ name: 'scenarios' })} size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {t('ui.scenarios.back')}
        </Group>
      </Anchor>
      <div>
        <Group gap="sm" justify="space-between">
          <Group gap="sm">
            <Title order={2}>{template ? template.title[lang] : data.scenarioId}</Title>
            {recomputing && <Loader size="xs" />}
          </Group>
          {/* The snapshot states the stored what-if settings, so it waits until a change is saved. */}
          <ExportReportButton kind="scenario" subjectId={data.id} fileStem={`${data.scenarioId}-${data.id}`} size="xs" disabled={recomputing || Object.keys(draft).length > 0} testId="scenario-export-report" />
        </Group>
        <Text c="dimmed" size="sm">
          {t('ui.scenarios.madeFrom', { id: data.id, source: t(data.source === 'sample' ? 'ui.scenarios.sourceSample' : 'ui.scenarios.sourceOwn'), date: fmt.dateTime(data.createdAt) })}
        </Text>
      </div>
      {error && <Alert color="red">{error}</Alert>}

      <SimpleGrid cols={{ base: 2, sm: 3, lg: Math.min(dashboard.kpis.length, 6) }} data-testid="scenario-kpis">
        {dashboard.kpis.map((k) => (
          <Card key={k.key} withBorder padding="sm" radius="md" data-testid={`kpi-${k.key}`}>
            <Text size="xs" c="dimmed">
              {t(`ui.scenarios.kpis.${k.key}`)}
            </Text>
            <Text size="xl" fw={700} data-testid="kpi-value">
              {formatKpi(k, fmt)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>

      {dashboard.notes.length > 0 && (
        <Alert color={dashboard.notes.some((n) => n.key === 'planInfeasible') ? 'orange' : 'blue'} variant="light" data-testid="scenario-notes">
          <Stack gap={2}>
            {dashboard.notes.map((n, i) => (
              <Text key={i} size="sm">
                {t(`ui.scenarios.notes.${n.key}`, { ...n.params, attribute: typeof n.params.attribute === 'string' ? t(`ui.scenarios.values.${n.params.attribute}`) : n.params.attribute })}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}

      <Card withBorder radius="md" padding="md">
        <Title order={5} mb="sm">
          {t('ui.scenarios.whatIfTitle')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
          {dashboard.controls.map((c) => (
            <WhatIfSlider key={c.key} control={c} value={draft[c.key] ?? dashboard.whatIf[c.key] ?? c.min} onChange={(v) => change(c.key, v)} />
          ))}
        </SimpleGrid>
      </Card>

      {dashboard.charts
        .filter((chart) => chart.kind === 'graph')
        .map((chart) => (
          <Card key={chart.key} withBorder radius="md" padding="sm">
            <ScenarioChart chart={chart} />
          </Card>
        ))}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {dashboard.charts.filter((chart) => chart.kind !== 'graph').map((chart) => (
          <Card key={chart.key} withBorder radius="md" padding="sm">
            <ScenarioChart chart={chart} />
          </Card>
        ))}
      </SimpleGrid>

      {dashboard.tables.map((table) => (
        <Card key={table.key} withBorder radius="md" padding="sm">
          <Title order={5} mb="xs">
            {t(`ui.scenarios.tables.${table.key}`)}
          </Title>
          <DashboardTable table={table} />
        </Card>
      ))}
    </Stack>
  );
}

function WhatIfSlider({ control, value, onChange }: { control: WhatIfControl; value: number; onChange: (v: number) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const label = control.label ? t(control.key.startsWith('fail:') ? 'ui.scenarios.whatIf.fail' : 'ui.scenarios.whatIf.capacity', { name: control.label }) : t(`ui.scenarios.whatIf.${control.key}`);
  // An on/off what-if (a supplier fails or not) is a switch.
  if (control.min === 0 && control.max === 1 && control.step === 1) {
    return <Switch label={label} checked={value >= 1} onChange={(e) => onChange(e.currentTarget.checked ? 1 : 0)} data-testid={`whatif-${control.key}`} />;
  }
  return (
    <Stack gap={2} data-testid={`whatif-${control.key}`}>
      <Group justify="space-between">
        <Text size="sm">{label}</Text>
        <Text size="sm" fw={600} data-testid="whatif-value">
          {formatControl(control, value, fmt)}
        </Text>
      </Group>
      <Slider min={control.min} max={control.max} step={control.step} value={value} onChange={onChange} label={null} aria-label={label} />
    </Stack>
  );
}

function ScenarioChart({ chart }: { chart: ChartData }) {
  const { t } = useTranslation();
  const scheme = useComputedColorScheme('light');
  const series = Object.fromEntries(chart.series.map((s) => [s.name, t(`ui.scenarios.series.${s.name}`)]));
  // Labels the engine writes in English (female/male, intents) are shown in the UI language.
  const x = chart.x.map((v) => (typeof v === 'string' && TRANSLATED_CELLS.has(v) ? t(`ui.scenarios.values.${v}`) : v));
  const categories = chart.kind === 'graph' ? ['supplier', 'part', 'product', 'plant'].map((k) => t(`ui.scenarios.layers.${k}`)) : undefined;
  return (
    <EChart
      option={scenarioChartOption({ ...chart, x }, scheme, { title: t(`ui.scenarios.charts.${chart.key}`), series, ...(categories ? { categories } : {}) })}
      height={chart.kind === 'graph' ? 520 : 300}
      data-testid={`chart-${chart.key}`}
    />
  );
}

const TRANSLATED_CELLS = new Set([
  'approve', 'decline', 'female', 'male', 'sex', 'age', 'pass', 'fail', 'reference', 'insufficient', 'supplier', 'part', 'product', 'plant',
  'billing', 'logistics', 'accounts', 'customerRelations', 'sales', 'humanQueue', 'refund', 'delivery', 'account', 'complaint', 'inquiry', 'positive', 'negative', 'neutral',
]);
/** Table columns holding a 0/1 flag, drawn as a badge. */
const FLAG_COLUMNS: Record<string, string> = { alerts: 'failed', impact: 'lost', routing: 'urgent' };

function DashboardTable({ table }: { table: TableData }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const cell = (v: string | number | null) => {
    if (v === null) return '—';
    if (typeof v === 'number') return fmt.decimal(v, 3);
    return TRANSLATED_CELLS.has(v) ? t(`ui.scenarios.values.${v}`) : v;
  };
  return (
    <ScrollArea.Autosize mah={360}>
      <Table striped highlightOnHover withTableBorder verticalSpacing={4} fz="sm" data-testid={`table-${table.key}`}>
        <Table.Thead>
          <Table.Tr>
            {table.columns.map((c) => (
              <Table.Th key={c}>{t(`ui.scenarios.columns.${c}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.rows.map((row, i) => (
            <Table.Tr key={i}>
              {row.map((v, j) => (
                <Table.Td key={j}>{FLAG_COLUMNS[table.key] === table.columns[j] ? <Badge color={v === 1 ? 'red' : 'gray'} variant="light">{v === 1 ? '✓' : '—'}</Badge> : cell(v)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
