/** The Lineage tab: files → versions → models → reports around the selected version, as an ECharts graph. */
import { Alert, Group, Loader, Paper, Stack, Text, useComputedColorScheme } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { lineageChart, lineageChartHeight } from '../../../shared/charts/lineage.js';
import { describeError, useApi } from '../../api/index.js';
import { EChart } from '../../ui/charts/echart.js';

const KINDS = ['file', 'version', 'model', 'report', 'audit'];
const RELATIONS = ['import', 'clean', 'anonymise', 'predict', 'train', 'compress', 'scored-by', 'label', 'report', 'audit'];

export function LineagePanel({ versionId, onOpenVersion }: { versionId: string; onOpenVersion: (versionId: string) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const dark = useComputedColorScheme('light') === 'dark';
  const graph = useQuery({ queryKey: ['catalog', 'lineage', versionId], queryFn: () => api.lineage.getGraph({ id: versionId }) });
  if (graph.isPending) return <Loader size="sm" />;
  if (graph.isError) return <Alert color="red">{describeError(graph.error, t)}</Alert>;
  const g = graph.data;
  const labels = {
    kinds: Object.fromEntries(KINDS.map((k) => [k, t(`ui.cleaning.lineage.kind.${k}`)])),
    relations: Object.fromEntries(RELATIONS.map((r) => [r, t(`ui.cleaning.lineage.relation.${r.replace('-', '_')}`)])),
  };
  return (
    <Stack gap="xs" data-testid="lineage-panel" data-nodes={g.nodes.length} data-edges={g.edges.length}>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('ui.cleaning.lineage.intro', { nodes: g.nodes.length, edges: g.edges.length })}
        </Text>
        {g.truncated && <Text size="xs" c="orange">{t('ui.cleaning.lineage.truncated')}</Text>}
      </Group>
      <Paper withBorder radius="md" p="xs">
        <EChart
          option={lineageChart(g, dark ? 'dark' : 'light', labels)}
          height={lineageChartHeight(g)}
          data-testid="lineage-chart"
          onClick={(params) => {
            const id = typeof params.name === 'string' ? params.name : '';
            if (id.startsWith('version:')) onOpenVersion(id.slice('version:'.length));
          }}
        />
      </Paper>
      <Text size="xs" c="dimmed">
        {t('ui.cleaning.lineage.hint')}
      </Text>
    </Stack>
  );
}
