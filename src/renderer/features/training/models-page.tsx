/** Model studio: every trained model in a table, with multi-select to compare runs side by side. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Anchor, Button, Checkbox, EmptyState, Group, Kbd, Paper, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconArrowsDiff, IconBrain, IconPlus, IconScissors, IconX } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ModelRecord } from '../../../shared/model/training.js';
import { describeError, queryKeys, useApi, useDatasets, useModels } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { navigate, routeHref } from '../../ui/routing.js';
import { CompareView } from './compare-view.js';
import { formatMetric, keyMetric, taskOf } from './model-view.js';

export function ModelsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const models = useModels();
  const list = models.data ?? [];
  const [selected, setSelected] = useState<string[]>([]);
  const [comparing, setComparing] = useState(false);
  const versionLabel = useVersionLabels(list);
  const chosen = list.filter((m) => selected.includes(m.id));
  const canCompare = chosen.length >= 2;

  const toggle = (id: string, on: boolean) => {
    setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
    if (!on && chosen.length <= 2) setComparing(false);
  };
  // Opening the comparison brings it into view (it sits below the table).
  const compareRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (comparing) compareRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [comparing]);
  // Ctrl+Enter compares the selected runs.
  useHotkeys([['mod+Enter', () => canCompare && setComparing(true)]]);

  return (
    <Stack gap="lg" data-testid="models-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('ui.training.studio')}</Title>
          <Text c="dimmed" size="sm" mt={4}>
            {t('ui.training.studioSubtitle')}
          </Text>
        </div>
        <Group gap="sm">
          {list.length > 1 && (
            <Tooltip label={t('ui.training.compareHint')}>
              <Button variant="default" leftSection={<IconArrowsDiff size={16} />} disabled={!canCompare} onClick={() => setComparing(true)} rightSection={canCompare ? <Kbd size="xs">Ctrl ⏎</Kbd> : undefined} data-testid="models-compare">
                {t('ui.training.compare', { n: chosen.length })}
              </Button>
            </Tooltip>
          )}
          <Button leftSection={<IconPlus size={16} />} component="a" href={routeHref({ name: 'train' })} data-testid="models-train">
            {t('ui.training.trainModel')}
          </Button>
        </Group>
      </Group>

      {models.isError ? (
        <Alert color="red" title={t('ui.training.loadFailed')}>
          {describeError(models.error, t)}
        </Alert>
      ) : models.isPending ? (
        <Stack gap="xs">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} h={36} />
          ))}
        </Stack>
      ) : list.length === 0 ? (
        <EmptyState icon={<IconBrain size={28} />} withIndicatorBackground title={t('ui.training.emptyTitle')} description={t('ui.training.emptyText')} data-testid="models-empty">
          <EmptyState.Actions>
            <Button leftSection={<IconPlus size={16} />} onClick={() => navigate({ name: 'train' })}>
              {t('ui.training.trainModel')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      ) : (
        <Paper withBorder radius="md" style={{ overflow: 'auto' }}>
          <Table highlightOnHover verticalSpacing="xs" data-testid="models-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={36}>
                  <Checkbox
                    size="xs"
                    aria-label={t('ui.training.selectAllModels')}
                    checked={selected.length > 0 && selected.length === list.length}
                    indeterminate={selected.length > 0 && selected.length < list.length}
                    onChange={(e) => setSelected(e.currentTarget.checked ? list.map((m) => m.id) : [])}
                  />
                </Table.Th>
                <Table.Th>{t('ui.training.columns.name')}</Table.Th>
                <Table.Th>{t('ui.training.columns.family')}</Table.Th>
                <Table.Th>{t('ui.training.columns.task')}</Table.Th>
                <Table.Th>{t('ui.training.columns.version')}</Table.Th>
                <Table.Th ta="right">{t('ui.training.columns.metric')}</Table.Th>
                <Table.Th>{t('ui.training.columns.backend')}</Table.Th>
                <Table.Th ta="right">{t('ui.training.columns.trainTime')}</Table.Th>
                <Table.Th ta="right">{t('ui.training.columns.size')}</Table.Th>
                <Table.Th>{t('ui.training.columns.created')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((m) => {
                const metric = keyMetric(m);
                const isSelected = selected.includes(m.id);
                return (
                  <Table.Tr key={m.id} data-testid="model-row" data-model-id={m.id} bg={isSelected ? 'var(--mantine-color-indigo-light)' : undefined}>
                    <Table.Td>
                      <Checkbox size="xs" aria-label={t('ui.training.selectModel', { name: m.name })} checked={isSelected} onChange={(e) => toggle(m.id, e.currentTarget.checked)} data-testid="model-select" />
                    </Table.Td>
                    <Table.Td maw={320}>
                      <Group gap={6} wrap="nowrap">
                        {m.parentModelId && (
                          <Tooltip label={t('ui.training.compressedFrom')}>
                            <IconScissors size={14} style={{ flex: 'none' }} />
                          </Tooltip>
                        )}
                        <Anchor href={routeHref({ name: 'model', modelId: m.id })} fw={600} size="sm" truncate="end" data-testid="model-link">
                          {m.name}
                        </Anchor>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {t(`ui.training.families.${m.family}`)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t(`ui.training.tasks.${taskOf(m)}`)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" truncate="end" maw={220}>
                        {versionLabel(m.versionId)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} data-testid="model-key-metric">
                      {metric ? (
                        <>
                          <Text span size="xs" c="dimmed" ff="monospace">
                            {metric.name}{' '}
                          </Text>
                          <Text span size="sm" fw={600}>
                            {formatMetric(metric.value)}
                          </Text>
                        </>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {m.backend}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      <Text size="sm">{fmt.duration(m.trainMs)}</Text>
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      <Text size="sm">{fmt.bytes(m.sizeBytes)}</Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Tooltip label={fmt.dateTime(m.createdAt)}>
                        <Text size="sm">{fmt.relative(m.createdAt)}</Text>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {list.length > 1 && !comparing && (
        <Text size="xs" c="dimmed">
          {t('ui.training.compareHint')}
        </Text>
      )}

      {comparing && canCompare && (
        <Stack gap="sm" ref={compareRef} style={{ scrollMarginTop: 'calc(var(--app-shell-header-height, 56px) + var(--mantine-spacing-md))' }}>
          <Group justify="space-between">
            <Title order={3}>{t('ui.training.compareTitle', { n: chosen.length })}</Title>
            <Button size="xs" variant="subtle" color="gray" leftSection={<IconX size={14} />} onClick={() => setComparing(false)} data-testid="compare-close">
              {t('ui.training.closeCompare')}
            </Button>
          </Group>
          <CompareView models={chosen} versionLabel={versionLabel} />
        </Stack>
      )}
    </Stack>
  );
}

/** "dataset · vN" for the versions the models were trained on. */
export function useVersionLabels(models: readonly ModelRecord[]): (versionId: string) => string {
  const api = useApi();
  const datasets = useDatasets('');
  const ids = useMemo(() => [...new Set(models.map((m) => m.versionId))], [models]);
  const versions = useQueries({
    queries: ids.map((versionId) => ({ queryKey: queryKeys.version(versionId), queryFn: () => api.catalog.getVersion({ versionId }), staleTime: Infinity, retry: false })),
  });
  return (versionId: string) => {
    const v = versions[ids.indexOf(versionId)]?.data;
    if (!v) return versionId;
    const name = datasets.data?.find((d) => d.id === v.datasetId)?.name ?? '…';
    return `${name} · v${v.number}`;
  };
}
