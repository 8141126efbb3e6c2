/** The form of one recipe step: the fields its operation needs, with the columns the step can see. */
import { Checkbox, Group, MultiSelect, NumberInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ColumnType } from '../../../shared/model/catalog.js';
import type { CleaningStepInput } from '../../../shared/model/cleaning.js';
import { COLUMN_TYPES } from '../../ui/column-type.js';

export interface StepEditorProps {
  step: CleaningStepInput;
  columns: { name: string; type: ColumnType }[];
  onChange: (step: CleaningStepInput) => void;
  testId: string;
}

const isNumeric = (t: ColumnType) => t === 'integer' || t === 'real';

export function StepEditor({ step, columns, onChange, testId }: StepEditorProps) {
  const { t } = useTranslation();
  const names = columns.map((c) => c.name);
  const options = (filter: (type: ColumnType) => boolean = () => true) => columns.filter((c) => filter(c.type)).map((c) => ({ value: c.name, label: c.name }));
  const columnsField = (value: string[] | undefined, set: (v: string[]) => void, opts = options(), placeholder?: string) => (
    <MultiSelect
      label={t('ui.cleaning.fields.columns')}
      data={opts}
      value={(value ?? []).filter((v) => names.includes(v))}
      onChange={set}
      searchable
      clearable
      placeholder={placeholder}
      comboboxProps={{ withinPortal: true }}
      data-testid={`${testId}-columns`}
    />
  );
  const exprHint = <Text size="xs" c="dimmed">{t('ui.cleaning.fields.expressionHint')}</Text>;

  switch (step.op) {
    case 'dropDuplicates':
      return columnsField(step.columns, (columns) => onChange({ ...step, columns }), options(), t('ui.cleaning.fields.allColumns'));
    case 'filter':
      return (
        <Stack gap={4}>
          <TextInput
            label={t('ui.cleaning.fields.keepWhere')}
            value={step.expression}
            onChange={(e) => onChange({ ...step, expression: e.currentTarget.value })}
            placeholder="age >= 18 and workclass is not null"
            ff="monospace"
            data-testid={`${testId}-expression`}
          />
          {exprHint}
        </Stack>
      );
    case 'impute':
      return (
        <Stack gap="xs">
          <Group grow align="flex-start">
            {columnsField(step.columns, (columns) => onChange({ ...step, columns }), options(step.strategy === 'mean' || step.strategy === 'median' ? isNumeric : undefined))}
            <Select
              label={t('ui.cleaning.fields.strategy')}
              data={(['mode', 'mean', 'median', 'constant'] as const).map((s) => ({ value: s, label: t(`ui.cleaning.strategy.${s}`) }))}
              value={step.strategy}
              onChange={(v) => v && onChange({ ...step, strategy: v as typeof step.strategy })}
              allowDeselect={false}
              data-testid={`${testId}-strategy`}
            />
          </Group>
          {step.strategy === 'constant' && (
            <TextInput label={t('ui.cleaning.fields.value')} value={step.value === undefined || step.value === null ? '' : String(step.value)} onChange={(e) => onChange({ ...step, value: e.currentTarget.value })} data-testid={`${testId}-value`} />
          )}
        </Stack>
      );
    case 'capOutliers':
      return (
        <Stack gap="xs">
          {columnsField(step.columns, (columns) => onChange({ ...step, columns }), options(isNumeric))}
          <Group align="flex-end">
            <SegmentedControl
              data={[
                { value: 'iqr', label: t('ui.cleaning.method.iqr') },
                { value: 'percentile', label: t('ui.cleaning.method.percentile') },
              ]}
              value={step.method ?? 'iqr'}
              onChange={(v) => onChange({ ...step, method: v as 'iqr' | 'percentile' })}
            />
            {(step.method ?? 'iqr') === 'iqr' ? (
              <NumberInput label={t('ui.cleaning.fields.factor')} value={step.factor ?? 1.5} min={0.1} max={100} step={0.5} decimalScale={2} w={120} onChange={(v) => onChange({ ...step, factor: Number(v) || 1.5 })} />
            ) : (
              <>
                <NumberInput label={t('ui.cleaning.fields.lower')} value={step.lower ?? 0.01} min={0} max={1} step={0.01} decimalScale={3} w={110} onChange={(v) => onChange({ ...step, lower: Number(v) })} />
                <NumberInput label={t('ui.cleaning.fields.upper')} value={step.upper ?? 0.99} min={0} max={1} step={0.01} decimalScale={3} w={110} onChange={(v) => onChange({ ...step, upper: Number(v) })} />
              </>
            )}
          </Group>
        </Stack>
      );
    case 'normaliseText':
      return (
        <Stack gap="xs">
          {columnsField(step.columns, (columns) => onChange({ ...step, columns }), options((type) => type === 'text'), t('ui.cleaning.fields.allTextColumns'))}
          <Group gap="md">
            {(['nfkc', 'fullWidth', 'trim', 'collapseWhitespace', 'emptyToNull'] as const).map((flag) => (
              <Checkbox key={flag} label={t(`ui.cleaning.text.${flag}`)} checked={step[flag] ?? true} onChange={(e) => onChange({ ...step, [flag]: e.currentTarget.checked })} />
            ))}
            <Select
              w={150}
              aria-label={t('ui.cleaning.text.case')}
              data={(['keep', 'lower', 'upper'] as const).map((c) => ({ value: c, label: t(`ui.cleaning.text.case_${c}`) }))}
              value={step.case ?? 'keep'}
              onChange={(v) => v && onChange({ ...step, case: v as 'keep' | 'lower' | 'upper' })}
              allowDeselect={false}
            />
          </Group>
        </Stack>
      );
    case 'cast':
      return (
        <Group grow align="flex-end">
          <Select label={t('ui.cleaning.fields.column')} data={options()} value={names.includes(step.column) ? step.column : null} onChange={(v) => v && onChange({ ...step, column: v })} searchable data-testid={`${testId}-column`} />
          <Select
            label={t('ui.cleaning.fields.toType')}
            data={COLUMN_TYPES.map((type) => ({ value: type, label: t(`ui.types.${type}`) }))}
            value={step.to}
            onChange={(v) => v && onChange({ ...step, to: v as ColumnType })}
            allowDeselect={false}
          />
          <Checkbox label={t('ui.cleaning.fields.nullOnError')} checked={(step.onError ?? 'fail') === 'null'} onChange={(e) => onChange({ ...step, onError: e.currentTarget.checked ? 'null' : 'fail' })} mb={8} />
        </Group>
      );
    case 'rename': {
      const [from, to] = Object.entries(step.mapping)[0] ?? ['', ''];
      return (
        <Group grow>
          <Select label={t('ui.cleaning.fields.column')} data={options()} value={names.includes(from) ? from : null} onChange={(v) => v && onChange({ ...step, mapping: { [v]: to } })} searchable data-testid={`${testId}-column`} />
          <TextInput label={t('ui.cleaning.fields.newName')} value={to} onChange={(e) => onChange({ ...step, mapping: from ? { [from]: e.currentTarget.value } : {} })} data-testid={`${testId}-name`} />
        </Group>
      );
    }
    case 'dropColumns':
      return columnsField(step.columns, (columns) => onChange({ ...step, columns }));
    case 'reorderColumns':
      return columnsField(step.columns, (columns) => onChange({ ...step, columns }), options(), t('ui.cleaning.fields.firstColumns'));
    case 'derive':
      return (
        <Stack gap={4}>
          <Group grow align="flex-start">
            <TextInput label={t('ui.cleaning.fields.newColumn')} value={step.name} onChange={(e) => onChange({ ...step, name: e.currentTarget.value })} maw={220} data-testid={`${testId}-name`} />
            <TextInput
              label={t('ui.cleaning.fields.expression')}
              value={step.expression}
              onChange={(e) => onChange({ ...step, expression: e.currentTarget.value })}
              placeholder="if(age >= 60, 'senior', 'adult')"
              ff="monospace"
              data-testid={`${testId}-expression`}
            />
          </Group>
          {exprHint}
        </Stack>
      );
  }
}
