/**
 * Explaining a model (a `training.explain` job): permutation importance, partial dependence of the top numeric
 * features, and per-row contributions that add up from the base value to the prediction.
 */
import { useMemo, useState } from 'react';
import { Button, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconBulb } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ExplanationSchema, type Explanation, type ModelRecord } from '../../../shared/model/training.js';
import { useApi, useDataset, useVersion } from '../../api/index.js';
import { HBarChart } from '../../ui/charts/hbar-chart.js';
import { LineChart } from '../../ui/charts/line-chart.js';
import { Section } from './model-report.js';
import { CURVE_COLORS, formatMetric } from './model-view.js';
import { RunState } from './run-state.js';
import { useJobRun } from './use-job-run.js';

const TOP_PDP = 4;
const TOP_CONTRIBUTIONS = 12;

export function ExplainSection({ model }: { model: ModelRecord }) {
  const { t } = useTranslation();
  const api = useApi();
  const run = useJobRun(null, { quiet: true });
  const trainVersion = useVersion(model.versionId);
  const dataset = useDataset(trainVersion.data?.datasetId ?? '');
  const [versionId, setVersionId] = useState<string>(model.versionId);
  const [rowsText, setRowsText] = useState('0, 1, 2');
  const rows = rowsText
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n >= 0)
    .slice(0, 50);

  const fromJob = useMemo(() => {
    if (run.job?.state !== 'succeeded') return null;
    const parsed = ExplanationSchema.safeParse(run.job.result);
    return parsed.success ? parsed.data : null;
  }, [run.job]);
  const explanation = fromJob ?? model.report?.explanation ?? null;
  const versions = [...(dataset.data?.versions ?? [])].sort((a, b) => b.number - a.number);

  const explain = () => void run.start(() => api.training.explain({ modelId: model.id, versionId, rows: rows.length > 0 ? rows : [0] }));

  return (
    <Stack gap="md" data-testid="explain-section">
      <Section title={t('ui.training.explain.title')} hint={t('ui.training.explain.hint')}>
        <Group gap="sm" align="flex-end">
          <Select
            label={t('ui.training.explain.version')}
            w={220}
            data={versions.length > 0 ? versions.map((v) => ({ value: v.id, label: `v${v.number}` + (v.id === model.versionId ? ` · ${t('ui.training.trainingVersion')}` : '') })) : [{ value: model.versionId, label: t('ui.training.trainingVersion') }]}
            value={versionId}
            allowDeselect={false}
            onChange={(v) => v && setVersionId(v)}
            data-testid="explain-version"
          />
          <TextInput label={t('ui.training.explain.rows')} description={t('ui.training.explain.rowsHint')} w={220} value={rowsText} onChange={(e) => setRowsText(e.currentTarget.value)} data-testid="explain-rows" />
          <Button leftSection={<IconBulb size={16} />} onClick={explain} loading={run.busy} data-testid="explain-start">
            {explanation ? t('ui.training.explain.again') : t('ui.training.explain.start')}
          </Button>
        </Group>
        <Stack mt="sm" gap="sm">
          <RunState run={run} errorTestId="explain-error" />
        </Stack>
      </Section>
      {explanation ? <ExplanationView explanation={explanation} /> : !run.busy && <Text size="sm" c="dimmed">{t('ui.training.explain.none')}</Text>}
    </Stack>
  );
}

function ExplanationView({ explanation }: { explanation: Explanation }) {
  const { t } = useTranslation();
  const importance = useMemo(() => [...explanation.importance].sort((a, b) => b.mean - a.mean), [explanation]);
  const rank = new Map(importance.map((f, i) => [f.feature, i]));
  const pdps = [...explanation.pdp].sort((a, b) => (rank.get(a.feature) ?? 1e9) - (rank.get(b.feature) ?? 1e9)).slice(0, TOP_PDP);
  const [rowIndex, setRowIndex] = useState(0);
  const contribution = explanation.contributions[Math.min(rowIndex, explanation.contributions.length - 1)];
  const contributionItems = useMemo(
    () =>
      contribution
        ? [...contribution.values]
            .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
            .slice(0, TOP_CONTRIBUTIONS)
            .map((v) => ({ label: v.feature, value: v.value }))
        : [],
    [contribution],
  );

  const termWeights = explanation.metric === 'log_odds_weight' || explanation.metric === 'weight_spread';
  return (
    <Stack gap="md" data-testid="explanation">
      {/* A text model's explanation is its term weights (exact), not a permutation importance. */}
      <Section
        title={termWeights ? t('ui.training.explain.termWeights') : t('ui.training.explain.importance')}
        hint={termWeights ? t(`ui.training.explain.${explanation.metric === 'log_odds_weight' ? 'termWeightsBinaryHint' : 'termWeightsHint'}`) : t('ui.training.explain.importanceHint', { metric: explanation.metric })}
        testId="explain-importance"
      >
        <HBarChart items={importance.map((f) => ({ label: f.feature, value: f.mean, error: f.std }))} color="#4c6ef5" format={formatMetric} />
      </Section>
      {pdps.length > 0 && (
        <Section title={t('ui.training.explain.pdp')} hint={t('ui.training.explain.pdpHint')} testId="explain-pdp">
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {pdps.map((p) => (
              <Stack key={p.feature} gap={2}>
                <Text size="sm" fw={600}>
                  {p.feature}
                </Text>
                <LineChart series={[{ name: p.feature, points: p.grid.map((x, i) => [x, p.values[i] ?? 0]), color: CURVE_COLORS.valMetric, area: true }]} legend={false} xName={p.feature} height={200} />
              </Stack>
            ))}
          </SimpleGrid>
        </Section>
      )}
      {contribution && (
        <Section title={t('ui.training.explain.contributions')} hint={t(`ui.training.explain.method.${explanation.contributionMethod}`)} testId="explain-contributions">
          <Stack gap="sm">
            <Group gap="md">
              <SegmentedControl
                size="xs"
                value={String(Math.min(rowIndex, explanation.contributions.length - 1))}
                onChange={(v) => setRowIndex(Number(v))}
                data={explanation.contributions.map((c, i) => ({ value: String(i), label: t('ui.training.explain.row', { n: c.row }) }))}
              />
              <Text size="sm">
                {t('ui.training.explain.baseToPrediction', { base: formatMetric(contribution.base), prediction: formatMetric(contribution.prediction) })}
              </Text>
            </Group>
            <HBarChart items={contributionItems} color="#12b886" negativeColor="#fa5252" format={formatMetric} />
          </Stack>
        </Section>
      )}
    </Stack>
  );
}
