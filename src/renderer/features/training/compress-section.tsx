/**
 * Compressing a model (a `training.compress` job): quantisation and magnitude pruning with optional fine-tuning, into
 * a new model; the outcome compares size, latency and test metrics before → after.
 */
import { useMemo, useState } from 'react';
import { Anchor, Button, Group, NumberInput, SegmentedControl, SimpleGrid, Slider, Stack, Text } from '@mantine/core';
import { IconArrowRight, IconExternalLink, IconScissors } from '@tabler/icons-react';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import type { ModelRecord } from '../../../shared/model/training.js';
import { useApi } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { navigate, routeHref } from '../../ui/routing.js';
import { MetricsTable, Section } from './model-report.js';
import { RunState } from './run-state.js';
import { useJobRun } from './use-job-run.js';

const CompressResultSchema = z.object({
  modelId: z.string(),
  sizeBytes: z.number(),
  originalSizeBytes: z.number(),
  metrics: z.record(z.string(), z.number()),
  originalMetrics: z.record(z.string(), z.number()),
  latencyMs: z.number(),
  originalLatencyMs: z.number(),
});
type CompressOutcome = z.infer<typeof CompressResultSchema>;

export function CompressSection({ model }: { model: ModelRecord }) {
  const { t } = useTranslation();
  const api = useApi();
  const run = useJobRun(null, { quiet: true });
  const [quantize, setQuantize] = useState<'none' | 'float16' | 'int8'>('int8');
  const [prunePct, setPrunePct] = useState(0);
  const [fineTune, setFineTune] = useState(0);
  const outcome = useMemo(() => {
    if (run.job?.state !== 'succeeded') return null;
    const parsed = CompressResultSchema.safeParse(run.job.result);
    return parsed.success ? parsed.data : null;
  }, [run.job]);
  const own = model.report?.compression;
  const nothing = quantize === 'none' && prunePct === 0;

  const compress = () => void run.start(() => api.training.compress({ modelId: model.id, quantize, prune: prunePct / 100, fineTuneEpochs: fineTune }));

  return (
    <Stack gap="md" data-testid="compress-section">
      {own && (
        <Section title={t('ui.training.compress.thisModel')} hint={t('ui.training.compress.thisModelHint', { quantize: t(`ui.training.compress.quantizeModes.${own.quantize}`), prune: Math.round(own.prune * 100), sparsity: Math.round(own.sparsity * 100) })} testId="compress-own">
          <Outcome
            outcome={{ modelId: model.id, sizeBytes: model.sizeBytes, originalSizeBytes: own.originalSizeBytes, metrics: model.metrics, originalMetrics: own.originalMetrics, latencyMs: own.latencyMs, originalLatencyMs: own.originalLatencyMs }}
            originalId={own.originalModelId}
          />
        </Section>
      )}
      <Section title={t('ui.training.compress.title')} hint={t('ui.training.compress.hint')}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('ui.training.compress.quantize')}
              </Text>
              <SegmentedControl value={quantize} onChange={(v) => setQuantize(v as typeof quantize)} data={(['none', 'float16', 'int8'] as const).map((q) => ({ value: q, label: t(`ui.training.compress.quantizeModes.${q}`) }))} data-testid="compress-quantize" />
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('ui.training.compress.prune', { pct: prunePct })}
              </Text>
              <Slider min={0} max={95} step={5} value={prunePct} onChange={setPrunePct} marks={[{ value: 0, label: '0%' }, { value: 50, label: '50%' }, { value: 90, label: '90%' }]} label={(v) => `${v}%`} mb="md" data-testid="compress-prune" />
            </Stack>
            <NumberInput label={t('ui.training.compress.fineTune')} description={t('ui.training.compress.fineTuneHint')} min={0} max={100} allowDecimal={false} value={fineTune} onChange={(v) => setFineTune(Math.max(0, Math.min(100, Math.round(Number(v) || 0))))} disabled={prunePct === 0} data-testid="compress-fine-tune" />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button leftSection={<IconScissors size={16} />} onClick={compress} loading={run.busy} disabled={nothing} data-testid="compress-start">
              {t('ui.training.compress.start')}
            </Button>
          </Group>
          <RunState run={run} errorTestId="compress-error" />
        </Stack>
      </Section>
      {outcome && (
        <Section title={t('ui.training.compress.result')} testId="compress-result">
          <Outcome outcome={outcome} />
          <Group justify="flex-end" mt="sm">
            <Button leftSection={<IconExternalLink size={16} />} onClick={() => navigate({ name: 'model', modelId: outcome.modelId })} data-testid="compress-open-model">
              {t('ui.training.compress.openModel')}
            </Button>
          </Group>
        </Section>
      )}
    </Stack>
  );
}

function Outcome({ outcome, originalId }: { outcome: CompressOutcome; originalId?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const ratio = outcome.sizeBytes > 0 ? outcome.originalSizeBytes / outcome.sizeBytes : 0;
  const speed = outcome.latencyMs > 0 ? outcome.originalLatencyMs / outcome.latencyMs : 0;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <BeforeAfter label={t('ui.training.compress.size')} before={fmt.bytes(outcome.originalSizeBytes)} after={fmt.bytes(outcome.sizeBytes)} note={ratio > 0 ? `×${fmt.decimal(ratio, 1)}` : ''} testId="compress-size" />
        <BeforeAfter label={t('ui.training.compress.latency')} before={`${fmt.decimal(outcome.originalLatencyMs, 2)} ms`} after={`${fmt.decimal(outcome.latencyMs, 2)} ms`} note={speed > 0 ? `×${fmt.decimal(speed, 2)}` : ''} testId="compress-latency" />
      </SimpleGrid>
      <MetricsTable metrics={outcome.metrics} compare={outcome.originalMetrics} testId="compress-metrics" />
      {originalId && (
        <Anchor size="sm" href={routeHref({ name: 'model', modelId: originalId })}>
          {t('ui.training.compressedFromLink')}
        </Anchor>
      )}
    </Stack>
  );
}

function BeforeAfter({ label, before, after, note, testId }: { label: string; before: string; after: string; note: string; testId: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Group gap={6} style={{ fontVariantNumeric: 'tabular-nums' }}>
        <Text c="dimmed">{before}</Text>
        <IconArrowRight size={14} />
        <Text fw={650}>{after}</Text>
        {note && (
          <Text size="xs" c="teal" fw={600}>
            {note}
          </Text>
        )}
      </Group>
    </div>
  );
}
