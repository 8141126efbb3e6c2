/** Quality rules of the dataset: add, delete, check now; each rule's latest result on this version, with failing rows; run history. */
import { useState } from 'react';
import { ActionIcon, Badge, Button, Card, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconPlayerPlay, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Version } from '../../../shared/model/catalog.js';
import { RuleKindSchema, type Rule, type RuleKind, type RuleResult, type RuleSpecInput } from '../../../shared/model/quality.js';
import { describeError, useApi } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { notifyError, notifySuccess } from '../../ui/notify.js';

const keys = {
  rules: (datasetId: string) => ['quality', 'rules', datasetId] as const,
  runs: (versionId: string) => ['quality', 'runs', versionId] as const,
  history: (datasetId: string) => ['quality', 'history', datasetId] as const,
};
const COLUMN_KINDS: readonly RuleKind[] = ['not-null', 'unique', 'in-set', 'between', 'matches', 'type'];
const TYPES = ['integer', 'number', 'boolean', 'date', 'text'] as const;

export function RulesSection({ version }: { version: Version }) {
  const { t } = useTranslation();
  const api = useApi();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: keys.rules(version.datasetId), queryFn: () => api.quality.listRules({ datasetId: version.datasetId }) });
  const latest = useQuery({ queryKey: keys.runs(version.id), queryFn: async () => (await api.quality.getRuleHistory({ versionId: version.id, limit: 1 }))[0] ?? null });
  const history = useQuery({ queryKey: keys.history(version.datasetId), queryFn: () => api.quality.getRuleHistory({ datasetId: version.datasetId, limit: 10 }) });
  const [running, setRunning] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['quality'] });

  const runNow = async () => {
    setRunning(true);
    try {
      await api.quality.runRules({ versionId: version.id });
    } catch (err) {
      notifyError(t('ui.quality.rules.run'), describeError(err, t));
    } finally {
      setRunning(false);
    }
  };
  const remove = async (rule: Rule) => {
    try {
      await api.quality.deleteRule({ ruleId: rule.id });
      notifySuccess(t('ui.quality.rules.deleted'), t(`ui.quality.rules.kinds.${rule.spec.kind}`));
      refresh();
    } catch (err) {
      notifyError(t('ui.quality.rules.delete'), describeError(err, t));
    }
  };
  const resultOf = (rule: Rule): RuleResult | undefined => latest.data?.results.find((r) => r.ruleId === rule.id);
  const list = rules.data ?? [];

  return (
    <Card withBorder padding="md" data-testid="quality-rules">
      <Group justify="space-between" mb={4}>
        <Title order={5}>{t('ui.quality.rules.title')}</Title>
        <Button size="xs" variant="light" leftSection={<IconPlayerPlay size={14} />} onClick={() => void runNow()} loading={running} disabled={list.length === 0} data-testid="quality-rules-run">
          {t('ui.quality.rules.run')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('ui.quality.rules.subtitle')}
      </Text>
      {latest.data && (
        <Text size="xs" c="dimmed" mb="xs" data-testid="quality-rules-last-run">
          {t('ui.quality.rules.lastRun', { time: fmt.dateTime(latest.data.ranAt), passed: latest.data.passed, failed: latest.data.failed })}
        </Text>
      )}
      {list.length === 0 ? (
        <Text size="sm" mb="sm">
          {t('ui.quality.rules.none')}
        </Text>
      ) : (
        <Table mb="md" verticalSpacing={6}>
          <Table.Tbody>
            {list.map((rule) => {
              const result = resultOf(rule);
              return (
                <Table.Tr key={rule.id} data-testid="quality-rule" data-rule-state={result ? (result.passed ? 'passed' : 'failed') : 'not-run'}>
                  <Table.Td w={120}>
                    {result ? (
                      <Badge color={result.passed ? 'teal' : 'red'} variant="light">
                        {result.passed ? t('ui.quality.rules.passed') : t('ui.quality.rules.failed')}
                      </Badge>
                    ) : (
                      <Tooltip label={t('ui.quality.rules.notRun')}>
                        <Badge color="gray" variant="light">
                          —
                        </Badge>
                      </Tooltip>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {t(`ui.quality.rules.kinds.${rule.spec.kind}`)} <RuleArgs rule={rule} />
                    </Text>
                    {result && !result.passed && (
                      <Text size="xs" c="dimmed" data-testid="quality-rule-failing">
                        {result.error ??
                          `${t('ui.quality.rules.failing', { n: fmt.integer(result.failingRows), checked: fmt.integer(result.checkedRows) })}${
                            result.samples.length ? ` · ${t('ui.quality.rules.samples')}: ${result.samples.map((s) => `${t('ui.quality.rules.row', { row: s.row })}${s.value === null ? '' : ` “${s.value}”`}`).join(', ')}` : ''
                          }`}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td w={40}>
                    <ActionIcon variant="subtle" color="red" onClick={() => void remove(rule)} aria-label={t('ui.quality.rules.delete')}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <AddRuleForm version={version} onAdded={refresh} />
      {(history.data?.length ?? 0) > 0 && (
        <Stack gap={2} mt="md" data-testid="quality-rules-history">
          <Text size="sm" fw={600}>
            {t('ui.quality.rules.history')}
          </Text>
          {history.data!.map((run) => (
            <Text key={run.id} size="xs" c={run.failed ? 'red' : 'dimmed'}>
              {t('ui.quality.rules.historyRow', { version: run.versionNumber, time: fmt.dateTime(run.ranAt), passed: run.passed, failed: run.failed })}
            </Text>
          ))}
        </Stack>
      )}
    </Card>
  );
}

function RuleArgs({ rule }: { rule: Rule }) {
  const s = rule.spec;
  const text =
    s.kind === 'predicate'
      ? s.expression
      : s.kind === 'row-count'
        ? `${s.min ?? '−∞'} … ${s.max ?? '∞'}`
        : `${s.column}${s.kind === 'in-set' ? ` ∈ {${s.values.join(', ')}}` : s.kind === 'between' ? ` ∈ [${s.min ?? '−∞'}, ${s.max ?? '∞'}]` : s.kind === 'matches' ? ` ~ /${s.pattern}/` : s.kind === 'type' ? `: ${s.type}` : ''}`;
  return (
    <Text span size="sm" c="dimmed" ff="monospace">
      {text}
    </Text>
  );
}

function AddRuleForm({ version, onAdded }: { version: Version; onAdded: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [kind, setKind] = useState<RuleKind>('not-null');
  const [column, setColumn] = useState<string | null>(version.columns[0]?.name ?? null);
  const [values, setValues] = useState('');
  const [min, setMin] = useState<number | string>('');
  const [max, setMax] = useState<number | string>('');
  const [pattern, setPattern] = useState('');
  const [type, setType] = useState<string | null>('integer');
  const [expression, setExpression] = useState('');
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const bound = (x: number | string) => (x === '' ? null : Number(x));

  const spec = (): RuleSpecInput => {
    const c = column ?? '';
    switch (kind) {
      case 'not-null':
      case 'unique':
        return { kind, column: c };
      case 'in-set':
        return { kind, column: c, values: values.split(',').map((v) => v.trim()).filter(Boolean) };
      case 'between':
        return { kind, column: c, min: bound(min), max: bound(max) };
      case 'matches':
        return { kind, column: c, pattern };
      case 'type':
        return { kind, column: c, type: (type ?? 'text') as (typeof TYPES)[number] };
      case 'row-count':
        return { kind, min: bound(min), max: bound(max) };
      case 'predicate':
        return { kind, expression };
    }
  };
  const add = async () => {
    setAdding(true);
    setError(null);
    try {
      await api.quality.addRule({ datasetId: version.datasetId, spec: spec() });
      notifySuccess(t('ui.quality.rules.added'), t(`ui.quality.rules.kinds.${kind}`));
      onAdded();
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setAdding(false);
    }
  };

  return (
    <Stack gap="xs" data-testid="quality-add-rule">
      <Group align="flex-end" gap="xs" wrap="wrap">
        <Select
          label={t('ui.quality.rules.kind')}
          w={190}
          value={kind}
          onChange={(v) => v && setKind(v as RuleKind)}
          allowDeselect={false}
          data={RuleKindSchema.options.map((k) => ({ value: k, label: t(`ui.quality.rules.kinds.${k}`) }))}
          data-testid="quality-rule-kind"
        />
        {COLUMN_KINDS.includes(kind) && (
          <Select
            label={t('ui.quality.rules.column')}
            w={200}
            searchable
            value={column}
            onChange={setColumn}
            allowDeselect={false}
            data={version.columns.map((c) => c.name)}
            data-testid="quality-rule-column"
          />
        )}
        {kind === 'in-set' && <TextInput label={t('ui.quality.rules.values')} w={260} value={values} onChange={(e) => setValues(e.currentTarget.value)} data-testid="quality-rule-values" />}
        {(kind === 'between' || kind === 'row-count') && (
          <>
            <NumberInput label={t('ui.quality.rules.min')} w={120} value={min} onChange={setMin} data-testid="quality-rule-min" />
            <NumberInput label={t('ui.quality.rules.max')} w={120} value={max} onChange={setMax} data-testid="quality-rule-max" />
          </>
        )}
        {kind === 'matches' && <TextInput label={t('ui.quality.rules.pattern')} w={260} ff="monospace" value={pattern} onChange={(e) => setPattern(e.currentTarget.value)} data-testid="quality-rule-pattern" />}
        {kind === 'type' && (
          <Select label={t('ui.quality.rules.type')} w={140} value={type} onChange={setType} allowDeselect={false} data={TYPES.map((x) => ({ value: x, label: t(`ui.quality.rules.types.${x}`) }))} />
        )}
        {kind === 'predicate' && (
          <TextInput
            label={t('ui.quality.rules.expression')}
            placeholder={t('ui.quality.rules.expressionPlaceholder')}
            w={380}
            ff="monospace"
            value={expression}
            onChange={(e) => setExpression(e.currentTarget.value)}
            data-testid="quality-rule-expression"
          />
        )}
        <Button leftSection={<IconPlus size={14} />} onClick={() => void add()} loading={adding} data-testid="quality-rule-add">
          {t('ui.quality.rules.add')}
        </Button>
      </Group>
      {error && (
        <Text size="sm" c="red" data-testid="quality-rule-error">
          {error}
        </Text>
      )}
    </Stack>
  );
}
