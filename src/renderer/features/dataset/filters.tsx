/** Per-column filters: the header button with its popover, and the chips that list active filters. */
import { useState } from 'react';
import { ActionIcon, Badge, Button, CloseButton, Group, Popover, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconFilter, IconFilterFilled } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Column, ColumnType, FilterOp, RowFilter } from '../../../shared/model/catalog.js';

const NUMERIC_OPS: readonly FilterOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'isNull', 'notNull'];
const TEXT_OPS: readonly FilterOp[] = ['contains', 'startsWith', 'eq', 'neq', 'isNull', 'notNull'];
const ORDERED_OPS: readonly FilterOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'isNull', 'notNull'];
const BOOLEAN_OPS: readonly FilterOp[] = ['eq', 'neq', 'isNull', 'notNull'];

export function opsFor(type: ColumnType): readonly FilterOp[] {
  switch (type) {
    case 'integer':
    case 'real':
      return NUMERIC_OPS;
    case 'date':
    case 'datetime':
      return ORDERED_OPS;
    case 'boolean':
      return BOOLEAN_OPS;
    case 'text':
      return TEXT_OPS;
  }
}

export function needsValue(op: FilterOp): boolean {
  return op !== 'isNull' && op !== 'notNull';
}

const OP_SYMBOLS: Record<FilterOp, string> = {
  eq: '=',
  neq: '≠',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  contains: '∋',
  startsWith: '^',
  isNull: '∅',
  notNull: '≠ ∅',
};

/** Turns what was typed into the value the query needs, or an error key. */
export function parseFilterValue(type: ColumnType, raw: string): { value: string | number | boolean } | { error: string } {
  const text = raw.trim();
  if (type === 'integer' || type === 'real') {
    const n = Number(text.replace(/,/g, ''));
    if (text === '' || !Number.isFinite(n)) return { error: 'ui.filters.notANumber' };
    return { value: n };
  }
  if (type === 'boolean') {
    const lower = text.toLowerCase();
    if (['true', '1', 'yes', '是', '真'].includes(lower)) return { value: true };
    if (['false', '0', 'no', '否', '假'].includes(lower)) return { value: false };
    return { error: 'ui.filters.notABoolean' };
  }
  if (text === '') return { error: 'ui.filters.valueRequired' };
  return { value: raw };
}

export function describeFilter(filter: RowFilter, t: (key: string) => string): string {
  const op = t(`ui.filters.ops.${filter.op}`);
  return needsValue(filter.op) ? `${filter.column} ${op} ${String(filter.value)}` : `${filter.column} ${op}`;
}

export function FilterButton({ column, filters, onChange }: { column: Column; filters: RowFilter[]; onChange: (filters: RowFilter[]) => void }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const ops = opsFor(column.type);
  const [op, setOp] = useState<FilterOp>(ops[0]!);
  const [raw, setRaw] = useState('');
  const [error, setError] = useState<string | null>(null);
  const mine = filters.filter((f) => f.column === column.name);
  const Icon = mine.length > 0 ? IconFilterFilled : IconFilter;

  const apply = () => {
    let filter: RowFilter;
    if (needsValue(op)) {
      const parsed = parseFilterValue(column.type, raw);
      if ('error' in parsed) {
        setError(t(parsed.error));
        return;
      }
      filter = { column: column.name, op, value: parsed.value };
    } else filter = { column: column.name, op };
    onChange([...filters, filter]);
    setRaw('');
    setError(null);
    setOpened(false);
  };

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" shadow="md" width={280} withinPortal trapFocus>
      <Popover.Target>
        <ActionIcon
          size="sm"
          variant={mine.length > 0 ? 'light' : 'subtle'}
          color={mine.length > 0 ? undefined : 'gray'}
          onClick={() => setOpened((o) => !o)}
          aria-label={t('ui.filters.filterColumn', { column: column.name })}
          data-testid={`grid-filter-${column.name}`}
        >
          <Icon size={14} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t('ui.filters.title', { column: column.name })}
          </Text>
          {mine.map((f, i) => (
            <Group key={i} justify="space-between" gap="xs" wrap="nowrap">
              <Text size="xs">{describeFilter(f, t)}</Text>
              <CloseButton size="sm" aria-label={t('ui.filters.remove')} onClick={() => onChange(filters.filter((x) => x !== f))} />
            </Group>
          ))}
          <Select
            size="xs"
            data={ops.map((o) => ({ value: o, label: `${OP_SYMBOLS[o]}  ${t(`ui.filters.ops.${o}`)}` }))}
            value={op}
            onChange={(v) => v && setOp(v as FilterOp)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
            aria-label={t('ui.filters.operator')}
            data-testid="filter-op"
          />
          {needsValue(op) && (
            <TextInput
              size="xs"
              value={raw}
              onChange={(e) => {
                setRaw(e.currentTarget.value);
                setError(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') apply();
              }}
              error={error}
              placeholder={t('ui.filters.valuePlaceholder')}
              aria-label={t('ui.filters.value')}
              data-testid="filter-value"
              data-autofocus
            />
          )}
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={() => setOpened(false)}>
              {t('ui.common.cancel')}
            </Button>
            <Button size="xs" onClick={apply} data-testid="filter-apply">
              {t('ui.filters.apply')}
            </Button>
          </Group>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

export function FilterPills({ filters, onChange }: { filters: RowFilter[]; onChange: (filters: RowFilter[]) => void }) {
  const { t } = useTranslation();
  if (filters.length === 0) return null;
  return (
    <Group gap={6} data-testid="filter-pills">
      {filters.map((f, i) => (
        <Badge
          key={i}
          variant="light"
          size="lg"
          tt="none"
          fw={500}
          pr={4}
          rightSection={<CloseButton size="xs" variant="transparent" aria-label={t('ui.filters.remove')} onClick={() => onChange(filters.filter((x) => x !== f))} />}
          data-testid="filter-pill"
        >
          {describeFilter(f, t)}
        </Badge>
      ))}
      {filters.length > 1 && (
        <Button size="compact-xs" variant="subtle" onClick={() => onChange([])}>
          {t('ui.filters.clearAll')}
        </Button>
      )}
    </Group>
  );
}
