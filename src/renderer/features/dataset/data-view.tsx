/** The rows of one version: total count, search, filters, and the virtualized grid paged from SQLite. */
import { useCallback, useMemo, useState } from 'react';
import { Button, Group, Kbd, Stack, Text, TextInput, EmptyState } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RowFilter, Version } from '../../../shared/model/catalog.js';
import { describeError, useApi, type RowView } from '../../api/index.js';
import { DataGrid, type DataGridPage, type GridSort } from '../../ui/data-grid/index.js';
import { useFormat } from '../../ui/format.js';
import { FilterButton, FilterPills } from './filters.js';

export const PAGE_SIZE = 200;

export function DataView({ version }: { version: Version }) {
  const { t } = useTranslation();
  const api = useApi();
  const fmt = useFormat();
  const [sort, setSort] = useState<GridSort | null>(null);
  const [filters, setFilters] = useState<RowFilter[]>([]);
  const [searchText, setSearchText] = useState('');
  const [search] = useDebouncedValue(searchText.trim(), 250);

  const view: RowView = useMemo(() => ({ sort, filters, search }), [sort, filters, search]);
  const queryKey = useMemo(() => ['catalog', 'rows', version.id, view] as const, [version.id, view]);
  const fetchPage = useCallback(
    async (page: number): Promise<DataGridPage & { columns: Version['columns'] }> => {
      const result = await api.catalog.queryRows({ versionId: version.id, offset: page * PAGE_SIZE, limit: PAGE_SIZE, sort, filters, search });
      return { rows: result.rows, totalRows: result.totalRows, columns: result.columns };
    },
    [api, version.id, sort, filters, search],
  );
  // Page 0 doubles as the count: the grid shares it through the cache key.
  const first = useQuery({ queryKey: [...queryKey, 0], queryFn: () => fetchPage(0), staleTime: Infinity, gcTime: 60_000, placeholderData: keepPreviousData });
  const narrowed = filters.length > 0 || search !== '';
  const totalRows = first.data?.totalRows ?? (narrowed ? 0 : version.rowCount);
  const columns = first.data?.columns ?? version.columns;

  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0 }} data-testid="data-view">
      <Group justify="space-between" align="center" wrap="nowrap" gap="md">
        <Group gap="md" align="baseline" wrap="nowrap" style={{ minWidth: 0 }}>
          <Text fz={22} fw={700} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} data-testid="row-count" data-count={totalRows}>
            {t('ui.grid.rowCount', { count: totalRows, n: fmt.integer(totalRows) })}
          </Text>
          {narrowed && (
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }} data-testid="row-count-of">
              {t('ui.grid.ofTotal', { n: fmt.integer(version.rowCount), count: version.rowCount })}
            </Text>
          )}
          {first.isFetching && !first.isPending && (
            <Text size="xs" c="dimmed">
              {t('ui.grid.updating')}
            </Text>
          )}
        </Group>
        <TextInput
          placeholder={t('ui.grid.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          rightSection={<Kbd size="xs">Ctrl K</Kbd>}
          rightSectionWidth={64}
          value={searchText}
          onChange={(e) => setSearchText(e.currentTarget.value)}
          w={300}
          aria-label={t('ui.grid.search')}
          data-search-input
          data-testid="grid-search"
        />
      </Group>
      <FilterPills filters={filters} onChange={setFilters} />
      <DataGrid
        queryKey={queryKey}
        resetKey={JSON.stringify(view)}
        layoutKey={version.id}
        columns={columns}
        totalRows={totalRows}
        pageSize={PAGE_SIZE}
        fetchPage={fetchPage}
        sort={sort}
        onSortChange={setSort}
        renderHeaderActions={(column) => <FilterButton column={column} filters={filters} onChange={setFilters} />}
        describeError={(err) => describeError(err, t)}
        loading={first.isPending}
        empty={
          <EmptyState
            size="sm"
            icon={<IconFilterOff size={24} />}
            withIndicatorBackground
            title={narrowed ? t('ui.grid.noMatchTitle') : t('ui.grid.emptyTitle')}
            description={narrowed ? t('ui.grid.noMatchText') : t('ui.grid.emptyText')}
          >
            {narrowed && (
              <EmptyState.Actions>
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => {
                    setFilters([]);
                    setSearchText('');
                  }}
                >
                  {t('ui.filters.clearAll')}
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        }
      />
    </Stack>
  );
}
