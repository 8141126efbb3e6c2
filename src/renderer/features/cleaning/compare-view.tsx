/** Compare two versions of a dataset: schema changes, row counts, changed cells per column and sample cells. */
import { useState } from 'react';
import { Alert, Badge, Group, Loader, MultiSelect, Paper, ScrollArea, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Version } from '../../../shared/model/catalog.js';
import type { VersionDiff } from '../../../shared/model/cleaning.js';
import { describeError, useApi } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { keySegment } from '../../ui/i18n-keys.js';

export function CompareView({ versions, initialB }: { versions: Version[]; initialB: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const fmt = useFormat();
  const byNumber = [...versions].sort((a, b) => a.number - b.number);
  const current = byNumber.find((v) => v.id === initialB) ?? byNumber.at(-1)!;
  const parent = byNumber.find((v) => v.id === current.parentId) ?? byNumber[0]!;
  const [a, setA] = useState(parent.id);
  const [b, setB] = useState(current.id);
  const [keys, setKeys] = useState<string[]>([]);
  const va = byNumber.find((v) => v.id === a);
  const vb = byNumber.find((v) => v.id === b);
  const common = va && vb ? va.columns.filter((c) => vb.columns.some((d) => d.name === c.name)).map((c) => c.name) : [];
  const diff = useQuery({
    queryKey: ['cleaning', 'diff', a, b, keys],
    queryFn: () => api.cleaning.compareVersions({ versionA: a, versionB: b, keyColumns: keys }),
    enabled: Boolean(a && b),
    staleTime: Infinity,
  });
  const label = (v: Version) => `v${v.number} · ${t(`ui.operations.${keySegment(v.operation)}`, { defaultValue: v.operation })}`;
  const d: VersionDiff | undefined = diff.data;

  return (
    <Stack gap="md" data-testid="compare-view">
      <Group align="flex-end" gap="sm">
        <Select label={t('ui.cleaning.compare.a')} data={byNumber.map((v) => ({ value: v.id, label: label(v) }))} value={a} onChange={(v) => v && setA(v)} allowDeselect={false} w={200} data-testid="compare-a" />
        <IconArrowRight size={18} style={{ marginBottom: 8 }} />
        <Select label={t('ui.cleaning.compare.b')} data={byNumber.map((v) => ({ value: v.id, label: label(v) }))} value={b} onChange={(v) => v && setB(v)} allowDeselect={false} w={200} data-testid="compare-b" />
        <MultiSelect label={t('ui.cleaning.compare.keys')} description={t('ui.cleaning.compare.keysHint')} data={common} value={keys} onChange={setKeys} searchable clearable w={320} />
      </Group>
      {diff.isPending && <Loader size="sm" />}
      {diff.isError && <Alert color="red">{describeError(diff.error, t)}</Alert>}
      {d && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Paper withBorder radius="md" p="sm">
              <Text size="xs" c="dimmed">
                {t('ui.cleaning.compare.rows')}
              </Text>
              <Text fw={700} size="lg" data-testid="compare-rows">
                {fmt.integer(d.rows.a)} → {fmt.integer(d.rows.b)}
              </Text>
              {d.rows.added !== null && (
                <Text size="xs" c="dimmed">
                  {t('ui.cleaning.compare.addedRemoved', { added: fmt.integer(d.rows.added), removed: fmt.integer(d.rows.removed ?? 0) })}
                </Text>
              )}
            </Paper>
            <Paper withBorder radius="md" p="sm">
              <Text size="xs" c="dimmed">
                {t('ui.cleaning.compare.cells')}
              </Text>
              <Text fw={700} size="lg" data-testid="compare-cells">
                {d.alignment === 'none' ? '—' : `${fmt.integer(d.cells.changed)} / ${fmt.integer(d.cells.compared)}`}
              </Text>
              <Text size="xs" c="dimmed">
                {t(`ui.cleaning.compare.alignment.${d.alignment}`)}
              </Text>
            </Paper>
            <Paper withBorder radius="md" p="sm">
              <Text size="xs" c="dimmed">
                {t('ui.cleaning.compare.schema')}
              </Text>
              <Group gap={4} mt={4} data-testid="compare-schema">
                {d.schema.added.map((c) => (
                  <Badge key={`+${c.name}`} color="teal" variant="light" tt="none">
                    + {c.name}
                  </Badge>
                ))}
                {d.schema.removed.map((c) => (
                  <Badge key={`-${c.name}`} color="red" variant="light" tt="none">
                    − {c.name}
                  </Badge>
                ))}
                {d.schema.renamed.map((r) => (
                  <Badge key={`r${r.from}`} color="blue" variant="light" tt="none">
                    {r.from} → {r.to}
                  </Badge>
                ))}
                {d.schema.retyped.map((r) => (
                  <Badge key={`t${r.name}`} color="orange" variant="light" tt="none">
                    {r.name}: {t(`ui.types.${r.from}`)} → {t(`ui.types.${r.to}`)}
                  </Badge>
                ))}
                {d.schema.reordered && (
                  <Badge color="gray" variant="light" tt="none">
                    {t('ui.cleaning.compare.reordered')}
                  </Badge>
                )}
                {!d.schema.added.length && !d.schema.removed.length && !d.schema.renamed.length && !d.schema.retyped.length && !d.schema.reordered && (
                  <Text size="sm">{t('ui.cleaning.compare.sameSchema')}</Text>
                )}
              </Group>
            </Paper>
          </SimpleGrid>
          {d.alignment === 'none' && <Alert color="gray">{t('ui.cleaning.compare.noAlignment')}</Alert>}
          {d.cells.byColumn.some((c) => c.changed > 0) && (
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Paper withBorder radius="md" p="sm">
                <Title order={6} mb="xs">
                  {t('ui.cleaning.compare.byColumn')}
                </Title>
                <Table verticalSpacing={4} fz="sm" data-testid="compare-by-column">
                  <Table.Tbody>
                    {d.cells.byColumn
                      .filter((c) => c.changed > 0)
                      .map((c) => (
                        <Table.Tr key={c.column}>
                          <Table.Td>{c.column}</Table.Td>
                          <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                            {fmt.integer(c.changed)}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                  </Table.Tbody>
                </Table>
              </Paper>
              <Paper withBorder radius="md" p="sm">
                <Title order={6} mb="xs">
                  {t('ui.cleaning.compare.samples')}
                </Title>
                <ScrollArea.Autosize mah={300}>
                  <Table verticalSpacing={4} fz="xs" striped="even">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{d.alignment === 'key' ? d.keyColumns.join(' | ') : t('ui.cleaning.compare.row')}</Table.Th>
                        <Table.Th>{t('ui.cleaning.compare.column')}</Table.Th>
                        <Table.Th>{t('ui.cleaning.compare.before')}</Table.Th>
                        <Table.Th>{t('ui.cleaning.compare.after')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {d.cells.samples.map((s, i) => (
                        <Table.Tr key={i}>
                          <Table.Td>{s.row}</Table.Td>
                          <Table.Td>{s.column}</Table.Td>
                          <Table.Td c="red">{s.before === null ? t('ui.cleaning.missing') : String(s.before)}</Table.Td>
                          <Table.Td c="teal">{s.after === null ? t('ui.cleaning.missing') : String(s.after)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea.Autosize>
              </Paper>
            </SimpleGrid>
          )}
        </>
      )}
    </Stack>
  );
}
