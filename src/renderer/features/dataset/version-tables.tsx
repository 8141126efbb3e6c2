/** The schema of a version and the list of a dataset's versions. */
import { Badge, CopyButton, Group, Paper, ScrollArea, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Version } from '../../../shared/model/catalog.js';
import { ColumnTypeIcon } from '../../ui/column-type.js';
import { useFormat } from '../../ui/format.js';
import { keySegment } from '../../ui/i18n-keys.js';

export function SchemaTable({ version }: { version: Version }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const hasNullCounts = version.columns.some((c) => c.nullCount !== undefined);
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <ScrollArea.Autosize mah="calc(100dvh - 280px)" type="auto">
        <Table striped="even" highlightOnHover verticalSpacing="xs" stickyHeader data-testid="schema-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={60} ta="right">
                #
              </Table.Th>
              <Table.Th>{t('ui.schema.name')}</Table.Th>
              <Table.Th>{t('ui.schema.type')}</Table.Th>
              <Table.Th>{t('ui.schema.sourceName')}</Table.Th>
              {hasNullCounts && <Table.Th ta="right">{t('ui.schema.nullCount')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {version.columns.map((column, i) => (
              <Table.Tr key={column.name} data-testid="schema-row" data-column={column.name} data-type={column.type}>
                <Table.Td ta="right" c="dimmed">
                  {i + 1}
                </Table.Td>
                <Table.Td fw={600}>{column.name}</Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <ColumnTypeIcon type={column.type} />
                    <Text size="sm">{t(`ui.types.${column.type}`)}</Text>
                  </Group>
                </Table.Td>
                <Table.Td c="dimmed">{column.sourceName && column.sourceName !== column.name ? column.sourceName : '—'}</Table.Td>
                {hasNullCounts && (
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {column.nullCount === undefined ? '—' : fmt.integer(column.nullCount)}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Paper>
  );
}

export function shortHash(hash: string): string {
  return hash.replace(/^sha256:/, '').slice(0, 12);
}

export function HashText({ hash }: { hash: string }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={hash} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? t('ui.common.copied') : `${hash} — ${t('ui.common.clickToCopy')}`} withArrow multiline maw={420}>
          <UnstyledButton
            onClick={(e) => {
              e.stopPropagation();
              copy();
            }}
            style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
          >
            <Text ff="monospace" size="xs">
              {shortHash(hash)}
            </Text>
            {copied ? <IconCheck size={12} /> : <IconCopy size={12} opacity={0.5} />}
          </UnstyledButton>
        </Tooltip>
      )}
    </CopyButton>
  );
}

export function VersionsTable({ versions, selectedId, onSelect }: { versions: Version[]; selectedId: string; onSelect: (versionId: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const sorted = [...versions].sort((a, b) => b.number - a.number);
  const latestId = sorted[0]?.id;
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Table highlightOnHover verticalSpacing="sm" data-testid="versions-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('ui.versions.number')}</Table.Th>
            <Table.Th>{t('ui.versions.operation')}</Table.Th>
            <Table.Th>{t('ui.versions.parent')}</Table.Th>
            <Table.Th ta="right">{t('ui.versions.rows')}</Table.Th>
            <Table.Th ta="right">{t('ui.versions.columns')}</Table.Th>
            <Table.Th>{t('ui.versions.created')}</Table.Th>
            <Table.Th>{t('ui.versions.hash')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((v) => (
            <Table.Tr
              key={v.id}
              onClick={() => onSelect(v.id)}
              style={{ cursor: 'pointer' }}
              bg={v.id === selectedId ? 'var(--mantine-primary-color-light)' : undefined}
              data-testid="version-row"
              data-version-number={v.number}
            >
              <Table.Td>
                <Group gap="xs">
                  <Text fw={650}>v{v.number}</Text>
                  {v.id === latestId && (
                    <Badge size="xs" variant="light">
                      {t('ui.versions.latest')}
                    </Badge>
                  )}
                  {v.id === selectedId && (
                    <Badge size="xs" variant="outline">
                      {t('ui.versions.viewing')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td data-testid="version-operation">{t(`ui.operations.${keySegment(v.operation)}`, { defaultValue: v.operation })}</Table.Td>
              <Table.Td data-testid="version-parent">{v.parentId ? `v${sorted.find((p) => p.id === v.parentId)?.number ?? '?'}` : '—'}</Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {fmt.integer(v.rowCount)}
              </Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {fmt.integer(v.columns.length)}
              </Table.Td>
              <Table.Td>
                <Tooltip label={fmt.dateTime(v.createdAt)}>
                  <Text size="sm" span>
                    {fmt.relative(v.createdAt)}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <HashText hash={v.contentHash} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
