/** Step 1: a role per column (prefilled from the suggestion, with its reason) and transformations where they apply. */
import { Badge, Group, NumberInput, Paper, ScrollArea, Select, Switch, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Column } from '../../../shared/model/catalog.js';
import type { ColumnRole, ColumnTransformSpec, SuggestedSetup } from '../../../shared/model/privacy.js';
import { ColumnTypeIcon } from '../../ui/column-type.js';
import { isNumeric, ROLES, type ColumnDraft } from './setup.js';

const ROLE_COLORS: Record<ColumnRole, string> = { identifying: 'red', quasi: 'orange', sensitive: 'grape', insensitive: 'gray' };
export { ROLE_COLORS };

export function RolesStep({
  columns,
  drafts,
  reasons,
  onChange,
}: {
  columns: Column[];
  drafts: Record<string, ColumnDraft>;
  reasons: SuggestedSetup['reasons'];
  onChange: (column: string, next: ColumnDraft) => void;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <ScrollArea.Autosize mah="calc(100dvh - 330px)" type="auto">
        <Table verticalSpacing={6} stickyHeader data-testid="privacy-roles">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('ui.privacy.roles.column')}</Table.Th>
              <Table.Th w={210}>{t('ui.privacy.roles.role')}</Table.Th>
              <Table.Th>{t('ui.privacy.roles.reason')}</Table.Th>
              <Table.Th>{t('ui.privacy.roles.transform')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {columns.map((column) => {
              const draft = drafts[column.name] ?? { role: 'insensitive' as const };
              const reason = reasons[column.name];
              return (
                <Table.Tr key={column.name} data-testid="privacy-role-row" data-column={column.name} data-role={draft.role}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <ColumnTypeIcon type={column.type} withTooltip />
                      <Text size="sm" fw={550}>
                        {column.name}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      data={ROLES.map((r) => ({ value: r, label: t(`ui.privacy.role.${r}`) }))}
                      value={draft.role}
                      allowDeselect={false}
                      onChange={(v) => v && onChange(column.name, { ...draft, role: v as ColumnRole, transform: undefined })}
                      aria-label={t('ui.privacy.roles.roleOf', { column: column.name })}
                      leftSection={<Badge size="6" circle color={ROLE_COLORS[draft.role]} />}
                      data-testid={`privacy-role-${column.name}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed" data-testid="privacy-reason">
                      {reason ? t(`ui.privacy.reasons.${reason.key}`, { ...reason.params, ...(reason.params.shape ? { shape: t(`ui.privacy.reasons.shapes.${reason.params.shape}`, { defaultValue: reason.params.shape }) } : {}), defaultValue: reason.key }) : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <TransformEditor column={column} draft={draft} onChange={(transform) => onChange(column.name, { ...draft, transform })} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Paper>
  );
}

function TransformEditor({ column, draft, onChange }: { column: Column; draft: ColumnDraft; onChange: (t: ColumnTransformSpec | undefined) => void }) {
  const { t } = useTranslation();
  const tr = draft.transform;
  if (draft.role === 'quasi') return <Text size="xs" c="dimmed">{t('ui.privacy.roles.generalised')}</Text>;
  if (draft.role === 'sensitive') return <Text size="xs" c="dimmed">{t('ui.privacy.roles.kept')}</Text>;
  const options =
    draft.role === 'identifying'
      ? ['drop', 'mask', 'pseudonymise', 'encrypt']
      : isNumeric(column)
        ? ['keep', 'topBottom', 'noise']
        : ['keep'];
  if (options.length === 1) return <Text size="xs" c="dimmed">{t('ui.privacy.roles.kept')}</Text>;
  const kind = tr?.kind ?? (draft.role === 'identifying' ? 'drop' : 'keep');
  const pick = (k: string) => {
    switch (k) {
      case 'mask':
        return onChange({ kind: 'mask', keepFirst: 3, keepLast: 4 });
      case 'pseudonymise':
        return onChange({ kind: 'pseudonymise', reversible: false });
      case 'encrypt':
        return onChange({ kind: 'encrypt' });
      case 'topBottom':
        return onChange({ kind: 'topBottom' });
      case 'noise':
        return onChange({ kind: 'noise', epsilon: 1 });
      case 'drop':
        return onChange({ kind: 'drop' });
      default:
        return onChange(undefined);
    }
  };
  return (
    <Group gap="xs" wrap="nowrap">
      <Select
        size="xs"
        w={170}
        data={options.map((o) => ({ value: o, label: t(`ui.privacy.transform.${o}`) }))}
        value={kind}
        allowDeselect={false}
        onChange={(v) => v && pick(v)}
        aria-label={t('ui.privacy.roles.transformOf', { column: column.name })}
        data-testid={`privacy-transform-${column.name}`}
      />
      {tr?.kind === 'mask' && (
        <>
          <NumberInput size="xs" w={92} min={0} max={50} label={undefined} placeholder="0" prefix={t('ui.privacy.transform.first')} value={tr.keepFirst} onChange={(v) => onChange({ ...tr, keepFirst: Number(v) || 0 })} aria-label={t('ui.privacy.transform.keepFirst')} />
          <NumberInput size="xs" w={92} min={0} max={50} placeholder="0" prefix={t('ui.privacy.transform.last')} value={tr.keepLast} onChange={(v) => onChange({ ...tr, keepLast: Number(v) || 0 })} aria-label={t('ui.privacy.transform.keepLast')} />
        </>
      )}
      {tr?.kind === 'pseudonymise' && (
        <Switch size="xs" label={t('ui.privacy.transform.reversible')} checked={Boolean(tr.reversible)} onChange={(e) => onChange({ ...tr, reversible: e.currentTarget.checked })} />
      )}
      {tr?.kind === 'topBottom' && (
        <>
          <NumberInput size="xs" w={100} placeholder={t('ui.privacy.transform.bottom')} value={tr.bottom ?? ''} onChange={(v) => onChange({ ...tr, bottom: v === '' ? undefined : Number(v) })} aria-label={t('ui.privacy.transform.bottom')} />
          <NumberInput size="xs" w={100} placeholder={t('ui.privacy.transform.top')} value={tr.top ?? ''} onChange={(v) => onChange({ ...tr, top: v === '' ? undefined : Number(v) })} aria-label={t('ui.privacy.transform.top')} />
        </>
      )}
      {tr?.kind === 'noise' && (
        <NumberInput size="xs" w={110} min={0.01} step={0.1} decimalScale={3} prefix="ε " value={tr.epsilon} onChange={(v) => onChange({ ...tr, epsilon: Math.max(Number(v) || 1, 0.01) })} aria-label={t('ui.privacy.transform.epsilon')} />
      )}
    </Group>
  );
}
