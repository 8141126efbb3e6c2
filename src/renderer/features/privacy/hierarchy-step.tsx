/**
 * Step 2: a generalisation hierarchy per quasi-identifier — intervals, dates, prefixes or a categorical table
 * (editable, or imported from an ARX CSV) — validated live against the column's values.
 */
import { useEffect, useState } from 'react';
import {
  ActionIcon, Alert, Badge, Button, FileButton, Group, Loader, NavLink, Paper, ScrollArea, SegmentedControl, Stack, Table, Text, TextInput, Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconCircleCheck, IconColumnInsertRight, IconColumnRemove, IconFileImport, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Column } from '../../../shared/model/catalog.js';
import type { HierarchySpec } from '../../../shared/model/privacy.js';
import { describeError, useApi } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { notifyError } from '../../ui/notify.js';
import { hierarchyKind, isNumeric, parseArxCsv, parseNumberList, type ColumnDraft } from './setup.js';

const MAX_EDIT_ROWS = 300;

export function HierarchyStep({
  versionId,
  columns,
  drafts,
  onChange,
}: {
  versionId: string;
  columns: Column[];
  drafts: Record<string, ColumnDraft>;
  onChange: (column: string, hierarchy: HierarchySpec | undefined) => void;
}) {
  const { t } = useTranslation();
  const quasi = columns.filter((c) => drafts[c.name]?.role === 'quasi');
  const [active, setActive] = useState<string | null>(quasi[0]?.name ?? null);
  const current = quasi.find((c) => c.name === active) ?? quasi[0];
  if (!current) return <Alert color="yellow">{t('ui.privacy.problems.noQuasi')}</Alert>;
  return (
    <Group align="flex-start" gap="md" wrap="nowrap">
      <Paper withBorder radius="md" p={4} w={220} style={{ flex: 'none' }}>
        {quasi.map((c) => (
          <NavLink
            key={c.name}
            label={c.name}
            description={t(`ui.privacy.hierarchy.kind.${hierarchyKind(drafts[c.name]?.hierarchy)}`)}
            active={c.name === current.name}
            onClick={() => setActive(c.name)}
            data-testid="hierarchy-column"
            data-column={c.name}
          />
        ))}
      </Paper>
      <HierarchyEditor key={current.name} versionId={versionId} column={current} spec={drafts[current.name]?.hierarchy} onChange={(h) => onChange(current.name, h)} />
    </Group>
  );
}

function defaultSpec(kind: string, column: Column): HierarchySpec {
  switch (kind) {
    case 'interval':
      return { interval: { widths: [10, 20, 40] } };
    case 'date':
      return { date: true };
    case 'prefix':
      return { prefix: { keep: [2, 1] } };
    default:
      return { rows: [['', '*']] };
  }
  void column;
}

function HierarchyEditor({ versionId, column, spec, onChange }: { versionId: string; column: Column; spec: HierarchySpec | undefined; onChange: (h: HierarchySpec) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const kind = hierarchyKind(spec);
  const [debounced] = useDebouncedValue(spec, 350);
  const preview = useQuery({
    queryKey: ['privacy', 'previewHierarchy', versionId, column.name, debounced],
    queryFn: () => api.privacy.previewHierarchy({ versionId, column: column.name, hierarchy: debounced! }),
    enabled: Boolean(debounced),
    retry: false,
  });

  const kinds = [
    ...(isNumeric(column) ? ['interval'] : []),
    ...(column.type === 'date' || column.type === 'datetime' ? ['date'] : []),
    'prefix',
    'rows',
  ];

  return (
    <Stack gap="sm" style={{ flex: 1, minWidth: 0 }} data-testid="hierarchy-editor" data-column={column.name}>
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          data={kinds.map((k) => ({ value: k, label: t(`ui.privacy.hierarchy.kind.${k}`) }))}
          value={kinds.includes(kind) ? kind : 'rows'}
          onChange={(k) => k !== kind && onChange(defaultSpec(k, column))}
          data-testid="hierarchy-kind"
        />
        <PreviewStatus loading={preview.isFetching} data={preview.data} />
      </Group>
      {spec && 'interval' in spec && (
        <NumberListInput
          label={t('ui.privacy.hierarchy.widths')}
          description={t('ui.privacy.hierarchy.widthsHint')}
          values={spec.interval.widths}
          onChange={(widths) => onChange({ interval: { widths } })}
          testId="hierarchy-widths"
        />
      )}
      {spec && 'prefix' in spec && (
        <NumberListInput
          label={t('ui.privacy.hierarchy.prefixKeep')}
          description={t('ui.privacy.hierarchy.prefixHint')}
          values={spec.prefix.keep}
          onChange={(keep) => onChange({ prefix: { keep: keep.map((n) => Math.round(n)) } })}
          testId="hierarchy-prefix"
        />
      )}
      {spec && 'date' in spec && <Text size="sm" c="dimmed">{t('ui.privacy.hierarchy.dateHint')}</Text>}
      {spec && 'rows' in spec && <RowsEditor rows={spec.rows} onChange={(rows) => onChange({ rows })} />}
      {spec && 'file' in spec && <Text size="sm">{spec.file}</Text>}
      {preview.isError && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="hierarchy-error">
          {describeError(preview.error, t)}
        </Alert>
      )}
      {preview.data && preview.data.missing.length > 0 && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('ui.privacy.hierarchy.missingTitle', { count: preview.data.missing.length, n: fmt.integer(preview.data.missing.length) })} data-testid="hierarchy-missing">
          <Stack gap={6} align="flex-start">
            <Text size="sm">{t('ui.privacy.hierarchy.missingText')}</Text>
            <Group gap={4}>
              {preview.data.missing.slice(0, 30).map((v) => (
                <Badge key={v} variant="outline" color="red" tt="none">
                  {v === '' ? t('ui.privacy.hierarchy.emptyValue') : v}
                </Badge>
              ))}
            </Group>
            {spec && 'rows' in spec && (
              <Button
                size="compact-xs"
                variant="light"
                color="red"
                leftSection={<IconPlus size={14} />}
                onClick={() => {
                  const width = spec.rows[0]?.length ?? 2;
                  const added = preview.data!.missing.map((v) => [v, ...Array.from({ length: width - 2 }, () => v), '*']);
                  onChange({ rows: [...spec.rows.filter((r) => r[0] !== ''), ...added] });
                }}
                data-testid="hierarchy-add-missing"
              >
                {t('ui.privacy.hierarchy.addMissing')}
              </Button>
            )}
          </Stack>
        </Alert>
      )}
      {preview.data && !(spec && 'rows' in spec) && <PreviewTable rows={preview.data.rows} />}
    </Stack>
  );
}

function PreviewStatus({ loading, data }: { loading: boolean; data: { levels: number; distinctValues: number; missing: string[] } | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (loading) return <Loader size="xs" />;
  if (!data) return null;
  const ok = data.missing.length === 0;
  return (
    <Group gap={6} data-testid="hierarchy-status" data-ok={ok} data-levels={data.levels}>
      {ok ? <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" /> : <IconAlertTriangle size={16} color="var(--mantine-color-red-6)" />}
      <Text size="xs" c="dimmed">
        {t('ui.privacy.hierarchy.status', { levels: data.levels, values: fmt.integer(data.distinctValues) })}
      </Text>
    </Group>
  );
}

function NumberListInput({ label, description, values, onChange, testId }: { label: string; description: string; values: number[]; onChange: (v: number[]) => void; testId: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState(values.join(', '));
  useEffect(() => setText(values.join(', ')), [values]);
  const parsed = parseNumberList(text);
  return (
    <TextInput
      label={label}
      description={description}
      value={text}
      maw={420}
      error={parsed ? undefined : t('ui.privacy.hierarchy.badNumbers')}
      onChange={(e) => {
        setText(e.currentTarget.value);
        const next = parseNumberList(e.currentTarget.value);
        if (next && next.every((n) => n > 0)) onChange(next);
      }}
      data-testid={testId}
    />
  );
}

function PreviewTable({ rows }: { rows: string[][] }) {
  const { t } = useTranslation();
  const width = Math.max(0, ...rows.map((r) => r.length));
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <ScrollArea.Autosize mah="calc(100dvh - 520px)" type="auto">
        <Table verticalSpacing={4} striped stickyHeader data-testid="hierarchy-preview">
          <Table.Thead>
            <Table.Tr>
              {Array.from({ length: width }, (_, i) => (
                <Table.Th key={i}>{i === 0 ? t('ui.privacy.hierarchy.value') : t('ui.privacy.hierarchy.level', { n: i })}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.slice(0, 100).map((row, r) => (
              <Table.Tr key={r}>
                {row.map((cell, c) => (
                  <Table.Td key={c} ff={c === 0 ? undefined : 'monospace'} fz="xs">
                    {cell}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {rows.length > 100 && (
        <Text size="xs" c="dimmed" p="xs">
          {t('ui.privacy.hierarchy.more', { n: rows.length - 100 })}
        </Text>
      )}
    </Paper>
  );
}

/** The categorical table: leaf → level 1 → … → `*`; add or remove levels and rows, edit cells, import ARX CSV. */
function RowsEditor({ rows, onChange }: { rows: string[][]; onChange: (rows: string[][]) => void }) {
  const { t } = useTranslation();
  const width = Math.max(2, ...rows.map((r) => r.length));
  const setCell = (r: number, c: number, value: string) => onChange(rows.map((row, i) => (i === r ? row.map((cell, j) => (j === c ? value : cell)) : row)));
  // A new level goes just before the top (`*`) level, starting as a copy of the level below it.
  const addLevel = () => onChange(rows.map((row) => [...row.slice(0, -1), row[row.length - 2] ?? row[0] ?? '', row[row.length - 1] ?? '*']));
  const removeLevel = (c: number) => onChange(rows.map((row) => row.filter((_, j) => j !== c)));
  const importCsv = async (file: File | null) => {
    if (!file) return;
    try {
      const parsed = parseArxCsv(await file.text());
      if (parsed.length === 0) throw new Error(t('ui.privacy.hierarchy.emptyFile'));
      onChange(parsed);
    } catch (err) {
      notifyError(t('ui.privacy.hierarchy.importFailed'), describeError(err, t));
    }
  };
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Button size="xs" variant="default" leftSection={<IconColumnInsertRight size={14} />} onClick={addLevel} data-testid="hierarchy-add-level">
          {t('ui.privacy.hierarchy.addLevel')}
        </Button>
        <Button size="xs" variant="default" leftSection={<IconPlus size={14} />} onClick={() => onChange([...rows, Array.from({ length: width }, (_, i) => (i === width - 1 ? '*' : ''))])} data-testid="hierarchy-add-row">
          {t('ui.privacy.hierarchy.addRow')}
        </Button>
        <FileButton onChange={(f) => void importCsv(f)} accept=".csv,text/csv,text/plain">
          {(props) => (
            <Button {...props} size="xs" variant="default" leftSection={<IconFileImport size={14} />} data-testid="hierarchy-import">
              {t('ui.privacy.hierarchy.importCsv')}
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed">
          {t('ui.privacy.hierarchy.rowsHint')}
        </Text>
      </Group>
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        <ScrollArea.Autosize mah="calc(100dvh - 520px)" type="auto">
          <Table verticalSpacing={2} horizontalSpacing={4} stickyHeader data-testid="hierarchy-rows">
            <Table.Thead>
              <Table.Tr>
                {Array.from({ length: width }, (_, c) => (
                  <Table.Th key={c}>
                    <Group gap={2} wrap="nowrap">
                      <Text size="xs" fw={600}>
                        {c === 0 ? t('ui.privacy.hierarchy.value') : t('ui.privacy.hierarchy.level', { n: c })}
                      </Text>
                      {c > 0 && width > 2 && (
                        <Tooltip label={t('ui.privacy.hierarchy.removeLevel')}>
                          <ActionIcon size="xs" variant="subtle" color="gray" onClick={() => removeLevel(c)} aria-label={t('ui.privacy.hierarchy.removeLevel')}>
                            <IconColumnRemove size={12} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Th>
                ))}
                <Table.Th w={32} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.slice(0, MAX_EDIT_ROWS).map((row, r) => (
                <Table.Tr key={r}>
                  {Array.from({ length: width }, (_, c) => (
                    <Table.Td key={c}>
                      <TextInput size="xs" variant={c === 0 ? 'filled' : 'default'} value={row[c] ?? ''} onChange={(e) => setCell(r, c, e.currentTarget.value)} aria-label={`${r + 1}/${c}`} />
                    </Table.Td>
                  ))}
                  <Table.Td>
                    <ActionIcon size="sm" variant="subtle" color="gray" onClick={() => onChange(rows.filter((_, i) => i !== r))} aria-label={t('ui.privacy.hierarchy.removeRow')}>
                      <IconTrash size={14} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
        {rows.length > MAX_EDIT_ROWS && (
          <Text size="xs" c="dimmed" p="xs">
            {t('ui.privacy.hierarchy.more', { n: rows.length - MAX_EDIT_ROWS })}
          </Text>
        )}
      </Paper>
    </Stack>
  );
}
