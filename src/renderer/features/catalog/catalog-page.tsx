/** The catalog: every dataset with its latest version's size, searchable; the place imports start from. */
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Kbd, Paper, Skeleton, Stack, Table, Text, TextInput, Title, Tooltip, EmptyState } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDatabase, IconFileImport, IconSearch, IconTable } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Dataset } from '../../../shared/model/catalog.js';
import { describeError, useDatasets } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { navigate, routeHref } from '../../ui/routing.js';
import { useImport } from './import-provider.js';
import { Highlighted, SearchMatches, SensitivityBadge, useCatalogSearch } from '../catalog-metadata/index.js';
import type { SearchHit } from '../../../shared/model/catalog-metadata.js';

export function latestVersion(dataset: Pick<Dataset, 'versions'>) {
  let latest: Dataset['versions'][number] | undefined;
  for (const v of dataset.versions) if (!latest || v.number > latest.number) latest = v;
  return latest;
}

export function CatalogPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 200);
  const datasets = useDatasets(query);
  const everything = useDatasets('');
  // Full-text hits (names, descriptions, tags, terms, columns) first, then names that merely contain the text.
  const fullText = useCatalogSearch(query);
  const importer = useImport();
  const hits = new Map((query ? fullText.data ?? [] : []).map((h) => [h.datasetId, h]));
  const byId = new Map((everything.data ?? []).map((d) => [d.id, d]));
  const found = [...hits.keys()].map((id) => byId.get(id)).filter((d): d is Dataset => d !== undefined);
  const list = query ? [...found, ...(datasets.data ?? []).filter((d) => !hits.has(d.id))] : datasets.data ?? [];

  return (
    <Stack gap="lg" data-testid="catalog-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('ui.catalog.title')}</Title>
          <Text c="dimmed" size="sm" mt={4}>
            {t('ui.catalog.subtitle')}
          </Text>
        </div>
        <Group gap="sm">
          <TextInput
            placeholder={t('ui.catalog.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            rightSection={<Kbd size="xs">Ctrl K</Kbd>}
            rightSectionWidth={64}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={280}
            aria-label={t('ui.catalog.search')}
            data-search-input
            data-testid="catalog-search"
          />
          <Tooltip label={t('ui.catalog.importShortcut')}>
            <Button leftSection={<IconFileImport size={18} />} onClick={() => importer.open()} data-testid="import-button">
              {t('ui.catalog.import')}
            </Button>
          </Tooltip>
        </Group>
      </Group>

      {datasets.isError ? (
        <Alert color="red" title={t('ui.catalog.loadFailed')}>
          {describeError(datasets.error, t)}
        </Alert>
      ) : datasets.isPending ? (
        <Stack gap="xs">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={44} radius="md" />
          ))}
        </Stack>
      ) : list.length === 0 ? (
        <Paper withBorder radius="md" py={56} px="lg">
          {query ? (
            <EmptyState icon={<IconSearch size={28} />} withIndicatorBackground title={t('ui.catalog.noMatchTitle')} description={t('ui.catalog.noMatchText', { query })} data-testid="catalog-no-match" />
          ) : (
            <EmptyState
              icon={<IconDatabase size={30} />}
              variant="light"
              title={t('ui.catalog.emptyTitle')}
              description={t('ui.catalog.emptyText')}
              data-testid="catalog-empty"
            >
              <EmptyState.Actions>
                <Button leftSection={<IconFileImport size={18} />} onClick={() => importer.open()}>
                  {t('ui.catalog.import')}
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          )}
        </Paper>
      ) : (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" data-testid="dataset-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('ui.catalog.columns.name')}</Table.Th>
                <Table.Th ta="right">{t('ui.catalog.columns.rows')}</Table.Th>
                <Table.Th ta="right">{t('ui.catalog.columns.columns')}</Table.Th>
                <Table.Th ta="right">{t('ui.catalog.columns.versions')}</Table.Th>
                <Table.Th>{t('ui.catalog.columns.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((dataset) => (
                <DatasetRow key={dataset.id} dataset={dataset} hit={hits.get(dataset.id)} />
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {list.length > 0 && (
        <Text size="xs" c="dimmed">
          {t('ui.catalog.count', { count: list.length, n: list.length })} · {t('ui.catalog.dropTip')}
        </Text>
      )}
    </Stack>
  );
}

function DatasetRow({ dataset, hit }: { dataset: Dataset; hit?: SearchHit | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const latest = latestVersion(dataset);
  const href = routeHref({ name: 'dataset', datasetId: dataset.id });
  return (
    <Table.Tr style={{ cursor: 'pointer' }} onClick={() => navigate({ name: 'dataset', datasetId: dataset.id })} data-testid="dataset-row" data-dataset-id={dataset.id} data-dataset-name={dataset.name}>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <IconTable size={18} color="var(--mantine-primary-color-filled)" style={{ flex: 'none' }} />
          <div style={{ minWidth: 0 }}>
            <Group gap={6} wrap="nowrap">
              <Anchor href={href} fw={600} underline="never" c="var(--mantine-color-text)" onClick={(e) => e.stopPropagation()}>
                {hit ? <Highlighted segments={hit.matches[0]!.segments} /> : dataset.name}
              </Anchor>
              {hit && <SensitivityBadge sensitivity={hit.sensitivity} />}
            </Group>
            {hit ? (
              <SearchMatches hit={hit} />
            ) : dataset.description && (
              <Text size="xs" c="dimmed" truncate="end">
                {dataset.description}
              </Text>
            )}
          </div>
        </Group>
      </Table.Td>
      <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="dataset-rows">
        {latest ? fmt.integer(latest.rowCount) : '—'}
      </Table.Td>
      <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="dataset-columns">
        {latest ? fmt.integer(latest.columnCount) : '—'}
      </Table.Td>
      <Table.Td ta="right">
        <Badge variant="light" color="gray" size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {fmt.integer(dataset.versions.length)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Tooltip label={fmt.dateTime(dataset.updatedAt)}>
          <Text size="sm" c="dimmed" span>
            {fmt.relative(dataset.updatedAt)}
          </Text>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}
