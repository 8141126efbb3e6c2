/**
 * Using a model on data: batch scoring of a version into a new version with `prediction` and `score` columns
 * (`training.predict`), and metrics on any version that holds the target (`training.evaluate`).
 */
import { useMemo, useState } from 'react';
import { Alert, Button, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconExternalLink, IconReportAnalytics, IconTargetArrow } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ModelRecord } from '../../../shared/model/training.js';
import { useApi, useDataset, useDatasets, useVersion } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { keySegment } from '../../ui/i18n-keys.js';
import { navigate } from '../../ui/routing.js';
import { MetricsTable, Section } from './model-report.js';
import { useJobRun } from './use-job-run.js';
import { RunState } from './run-state.js';

export function ScoreSection({ model }: { model: ModelRecord }) {
  const { t } = useTranslation();
  const api = useApi();
  const fmt = useFormat();
  const predict = useJobRun(null, { quiet: true });
  const evaluate = useJobRun(null, { quiet: true });
  const [predictOn, setPredictOn] = useState<string | null>(model.versionId);
  const [evaluateOn, setEvaluateOn] = useState<string | null>(model.versionId);

  const predicted = useMemo(() => {
    const r = predict.job?.state === 'succeeded' ? (predict.job.result as { versionId?: unknown; rows?: unknown } | null) : null;
    return r && typeof r.versionId === 'string' ? { versionId: r.versionId, rows: Number(r.rows ?? 0) } : null;
  }, [predict.job]);
  const newVersion = useVersion(predicted?.versionId);
  const evaluated = useMemo(() => {
    const r = evaluate.job?.state === 'succeeded' ? (evaluate.job.result as { metrics?: Record<string, number>; rows?: number } | null) : null;
    return r && r.metrics ? { metrics: r.metrics, rows: r.rows ?? 0 } : null;
  }, [evaluate.job]);

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" data-testid="score-section">
      <Section title={t('ui.training.score.title')} hint={t('ui.training.score.hint')}>
        <Stack gap="sm">
          <VersionPicker model={model} value={predictOn} onChange={setPredictOn} testId="score-version" />
          <Group justify="flex-end">
            <Button leftSection={<IconTargetArrow size={16} />} disabled={!predictOn} loading={predict.busy} onClick={() => predictOn && void predict.start(() => api.training.predict({ modelId: model.id, versionId: predictOn }))} data-testid="score-start">
              {t('ui.training.score.start')}
            </Button>
          </Group>
          <RunState run={predict} />
          {predicted && (
            <Alert color="teal" variant="light" data-testid="score-done">
              <Group justify="space-between">
                <Text size="sm">
                  {t('ui.training.score.done', { rows: fmt.integer(predicted.rows), number: newVersion.data?.number ?? '…' })}
                </Text>
                <Button size="xs" leftSection={<IconExternalLink size={14} />} disabled={!newVersion.data} onClick={() => newVersion.data && navigate({ name: 'dataset', datasetId: newVersion.data.datasetId })} data-testid="score-open-version">
                  {t('ui.training.score.openVersion')}
                </Button>
              </Group>
            </Alert>
          )}
        </Stack>
      </Section>
      <Section title={t('ui.training.evaluate.title')} hint={t('ui.training.evaluate.hint', { target: model.target || '—' })}>
        <Stack gap="sm">
          <VersionPicker model={model} value={evaluateOn} onChange={setEvaluateOn} testId="evaluate-version" />
          <Group justify="flex-end">
            <Button leftSection={<IconReportAnalytics size={16} />} disabled={!evaluateOn || !model.target} loading={evaluate.busy} onClick={() => evaluateOn && void evaluate.start(() => api.training.evaluate({ modelId: model.id, versionId: evaluateOn }))} data-testid="evaluate-start">
              {t('ui.training.evaluate.start')}
            </Button>
          </Group>
          <RunState run={evaluate} />
          {evaluated && (
            <Stack gap={4} data-testid="evaluate-result">
              <Text size="sm" c="dimmed">
                {t('ui.training.evaluate.done', { rows: fmt.integer(evaluated.rows) })}
              </Text>
              <MetricsTable metrics={evaluated.metrics} testId="evaluate-metrics" />
            </Stack>
          )}
        </Stack>
      </Section>
    </SimpleGrid>
  );
}

/** Any dataset, then one of its versions; starts on the model's training dataset. */
function VersionPicker({ model, value, onChange, testId }: { model: ModelRecord; value: string | null; onChange: (v: string | null) => void; testId: string }) {
  const { t } = useTranslation();
  const trainVersion = useVersion(model.versionId);
  const datasets = useDatasets('');
  const [datasetId, setDatasetId] = useState<string | null>(null);
  const chosenDataset = datasetId ?? trainVersion.data?.datasetId ?? null;
  const dataset = useDataset(chosenDataset ?? '');
  const versions = [...(chosenDataset && dataset.data ? dataset.data.versions : [])].sort((a, b) => b.number - a.number);
  return (
    <Group grow gap="sm" align="flex-start">
      <Select
        label={t('ui.training.dataset')}
        data={(datasets.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
        value={chosenDataset}
        allowDeselect={false}
        searchable
        onChange={(v) => {
          setDatasetId(v);
          onChange(null);
        }}
        data-testid={`${testId}-dataset`}
      />
      <Select
        label={t('ui.training.version')}
        data={versions.map((v) => ({ value: v.id, label: `v${v.number} · ${t(`ui.operations.${keySegment(v.operation)}`, { defaultValue: v.operation })}` + (v.id === model.versionId ? ` · ${t('ui.training.trainingVersion')}` : '') }))}
        value={value}
        allowDeselect={false}
        onChange={onChange}
        data-testid={testId}
      />
    </Group>
  );
}

