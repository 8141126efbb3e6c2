/** Step 3: the privacy models (k-anonymity, optional l-diversity and t-closeness), suppression limit and metric. */
import { Checkbox, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ModelsDraft } from './setup.js';

export function ModelsStep({ models, sensitive, columns, onChange }: { models: ModelsDraft; sensitive: string[]; columns: string[]; onChange: (m: ModelsDraft) => void }) {
  const { t } = useTranslation();
  const set = (patch: Partial<ModelsDraft>) => onChange({ ...models, ...patch });
  const sensitiveData = sensitive.map((s) => ({ value: s, label: s }));
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Stack gap="md">
        <Paper withBorder radius="md" p="md">
          <Stack gap="sm">
            <Text fw={650}>{t('ui.privacy.models.kTitle')}</Text>
            <Text size="xs" c="dimmed">{t('ui.privacy.models.kHint')}</Text>
            <NumberInput label="k" min={1} w={160} value={models.k} onChange={(v) => set({ k: Math.max(1, Math.round(Number(v) || 1)) })} data-testid="privacy-k" />
          </Stack>
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Stack gap="sm">
            <Checkbox label={<Text fw={650}>{t('ui.privacy.models.lTitle')}</Text>} checked={models.lEnabled} disabled={sensitive.length === 0} onChange={(e) => set({ lEnabled: e.currentTarget.checked })} data-testid="privacy-l-enabled" />
            {sensitive.length === 0 && <Text size="xs" c="dimmed">{t('ui.privacy.models.needSensitive')}</Text>}
            {models.lEnabled && (
              <Group gap="sm" align="flex-end">
                <Select
                  label={t('ui.privacy.models.variant')}
                  w={150}
                  data={(['distinct', 'entropy', 'recursive'] as const).map((v) => ({ value: v, label: t(`ui.privacy.models.variants.${v}`) }))}
                  value={models.lVariant}
                  allowDeselect={false}
                  onChange={(v) => v && set({ lVariant: v as ModelsDraft['lVariant'] })}
                />
                <NumberInput label="l" w={80} min={1} decimalScale={2} value={models.l} onChange={(v) => set({ l: Math.max(1, Number(v) || 1) })} />
                {models.lVariant === 'recursive' && <NumberInput label="c" w={80} min={0.01} decimalScale={2} value={models.c} onChange={(v) => set({ c: Math.max(0.01, Number(v) || 1) })} />}
                <Select label={t('ui.privacy.models.column')} w={170} data={sensitiveData} value={models.lColumn} allowDeselect={false} onChange={(v) => set({ lColumn: v })} />
              </Group>
            )}
          </Stack>
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Stack gap="sm">
            <Checkbox label={<Text fw={650}>{t('ui.privacy.models.tTitle')}</Text>} checked={models.tEnabled} disabled={sensitive.length === 0} onChange={(e) => set({ tEnabled: e.currentTarget.checked })} data-testid="privacy-t-enabled" />
            {models.tEnabled && (
              <Group gap="sm" align="flex-end">
                <NumberInput label="t" w={90} min={0} max={1} step={0.05} decimalScale={3} value={models.t} onChange={(v) => set({ t: Math.min(1, Math.max(0, Number(v) || 0)) })} />
                <Select label={t('ui.privacy.models.column')} w={170} data={sensitiveData} value={models.tColumn} allowDeselect={false} onChange={(v) => set({ tColumn: v })} />
                <Select
                  label={t('ui.privacy.models.distance')}
                  w={170}
                  data={(['equal', 'ordered', 'hierarchical'] as const).map((d) => ({ value: d, label: t(`ui.privacy.models.distances.${d}`) }))}
                  value={models.tDistance}
                  allowDeselect={false}
                  onChange={(v) => v && set({ tDistance: v as ModelsDraft['tDistance'] })}
                />
              </Group>
            )}
          </Stack>
        </Paper>
      </Stack>
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Text fw={650}>{t('ui.privacy.models.searchTitle')}</Text>
          <NumberInput
            label={t('ui.privacy.models.suppression')}
            description={t('ui.privacy.models.suppressionHint')}
            min={0}
            max={100}
            step={1}
            decimalScale={2}
            suffix=" %"
            w={220}
            value={models.suppressionLimit}
            onChange={(v) => set({ suppressionLimit: Math.min(100, Math.max(0, Number(v) || 0)) })}
            data-testid="privacy-suppression"
          />
          <Select
            label={t('ui.privacy.models.suppressionKind')}
            w={260}
            data={(['record', 'cell'] as const).map((k) => ({ value: k, label: t(`ui.privacy.models.suppressionKinds.${k}`) }))}
            value={models.suppression}
            allowDeselect={false}
            onChange={(v) => v && set({ suppression: v as ModelsDraft['suppression'] })}
            data-testid="privacy-suppression-kind"
          />
          <Select
            label={t('ui.privacy.models.metric')}
            w={260}
            data={(['loss', 'discernibility', 'avgClassSize'] as const).map((m) => ({ value: m, label: t(`ui.privacy.metric.${m}`) }))}
            value={models.metric}
            allowDeselect={false}
            onChange={(v) => v && set({ metric: v as ModelsDraft['metric'] })}
            data-testid="privacy-metric"
          />
          <Select
            label={t('ui.privacy.models.algorithm')}
            w={260}
            data={(['optimal', 'mondrian'] as const).map((a) => ({ value: a, label: t(`ui.privacy.algorithm.${a}`) }))}
            value={models.algorithm}
            allowDeselect={false}
            onChange={(v) => v && set({ algorithm: v as ModelsDraft['algorithm'] })}
            data-testid="privacy-algorithm"
          />
          <Select
            label={t('ui.privacy.models.utility')}
            description={t('ui.privacy.models.utilityHint')}
            w={260}
            clearable
            placeholder={t('ui.privacy.models.utilityNone')}
            data={columns}
            value={models.utilityTarget}
            onChange={(v) => set({ utilityTarget: v })}
            data-testid="privacy-utility"
          />
        </Stack>
      </Paper>
    </SimpleGrid>
  );
}
