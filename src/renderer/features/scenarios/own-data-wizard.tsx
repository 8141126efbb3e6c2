/**
 * "Use my own data": for each of the scenario's tables pick a dataset version, map its columns to the roles
 * (guessed from the role's usual names), check the mapping on the server (types and values), then run.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Group, List, Modal, MultiSelect, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/i18n/index.js';
import { guessMapping, type Mapping, type MappingProblem, type ScenarioTemplate, type TemplateTable } from '../../../shared/model/scenarios.js';
import { describeError, useApi, useDatasets, useVersion } from '../../api/index.js';

interface Props {
  template: ScenarioTemplate;
  lang: Language;
  onClose: () => void;
  onStart: (call: () => Promise<{ jobId: string }>) => void;
}

export function OwnDataWizard({ template, lang, onClose, onStart }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const [mapping, setMapping] = useState<Mapping>({});
  const [problems, setProblems] = useState<MappingProblem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const check = async (): Promise<boolean> => {
    setChecking(true);
    setError(null);
    try {
      const result = await api.scenarios.validateMapping({ scenarioId: template.id, mapping });
      setProblems(result.problems);
      return result.ok;
    } catch (err) {
      setError(describeError(err, t));
      return false;
    } finally {
      setChecking(false);
    }
  };
  const run = async () => {
    if (!(await check())) return;
    onStart(() => api.scenarios.runOwn({ scenarioId: template.id, mapping }));
    onClose();
  };

  return (
    <Modal opened onClose={onClose} size="xl" title={<Title order={4}>{t('ui.scenarios.wizard.title', { title: template.title[lang] })}</Title>} data-testid="scenario-wizard">
      <Stack gap="lg">
        {template.tables.map((table) => (
          <TableMappingEditor
            key={table.key}
            table={table}
            value={mapping[table.key]}
            onChange={(m) => {
              setProblems(null);
              setMapping((prev) => {
                const next = { ...prev };
                if (m) next[table.key] = m;
                else delete next[table.key];
                return next;
              });
            }}
          />
        ))}
        <Text size="xs" c="dimmed">
          {t('ui.scenarios.wizard.positiveNote')}
        </Text>
        {error && <Alert color="red">{error}</Alert>}
        {problems && problems.length > 0 && (
          <Alert color="orange" data-testid="scenario-problems">
            <List size="sm">
              {problems.map((p, i) => (
                <List.Item key={i}>
                  {p.table ? `${t(`ui.scenarios.tablesTitle.${p.table}`)} · ` : ''}
                  {t(`ui.scenarios.problems.${p.code}`, { ...p.params, role: p.role ? t(`ui.scenarios.roles.${p.role}`) : '' })}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {problems && problems.length === 0 && <Alert color="green">{t('ui.scenarios.wizard.valid')}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('ui.scenarios.wizard.cancel')}
          </Button>
          <Button variant="light" loading={checking} onClick={() => void check()} data-testid="scenario-wizard-check">
            {t('ui.scenarios.wizard.check')}
          </Button>
          <Button loading={checking} onClick={() => void run()} data-testid="scenario-wizard-run">
            {t('ui.scenarios.wizard.run')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function TableMappingEditor({ table, value, onChange }: { table: TemplateTable; value: Mapping[string] | undefined; onChange: (m: Mapping[string] | undefined) => void }) {
  const { t } = useTranslation();
  const datasets = useDatasets('');
  const version = useVersion(value?.versionId);
  const versionOptions = useMemo(
    () => (datasets.data ?? []).flatMap((d) => d.versions.map((v) => ({ value: v.id, label: `${d.name} · v${v.number}` }))),
    [datasets.data],
  );
  // A newly picked version starts from the columns guessed by the roles' usual names (the user's choices are kept after).
  const schema = version.data;
  const guessed = useRef<string | null>(null);
  useEffect(() => {
    if (!value || !schema || schema.id !== value.versionId || guessed.current === value.versionId) return;
    guessed.current = value.versionId;
    onChange({ versionId: value.versionId, columns: guessMapping(table, schema.columns) });
  }, [schema, value, table, onChange]);
  const columns = (version.data?.columns ?? []).map((c) => ({ value: c.name, label: `${c.name} (${c.type})` }));
  const set = (role: string, column: string | string[] | null) => {
    if (!value) return;
    const next = { ...value.columns };
    if (column === null || (Array.isArray(column) && column.length === 0)) delete next[role];
    else next[role] = column;
    onChange({ ...value, columns: next });
  };
  return (
    <Stack gap="xs">
      <Text fw={600}>{t(`ui.scenarios.tablesTitle.${table.key}`)}</Text>
      <Select
        label={t('ui.scenarios.wizard.pickVersion')}
        placeholder={t('ui.scenarios.wizard.pickVersionPlaceholder')}
        data={versionOptions}
        value={value?.versionId ?? null}
        searchable
        onChange={(versionId) => onChange(versionId ? { versionId, columns: {} } : undefined)}
        data-testid={`scenario-wizard-version-${table.key}`}
      />
      {value && version.data && (
        <Table withTableBorder verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('ui.scenarios.wizard.role')}</Table.Th>
              <Table.Th>{t('ui.scenarios.wizard.column')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {table.roles.map((role) => (
              <Table.Tr key={role.key}>
                <Table.Td>
                  {t(`ui.scenarios.roles.${role.key}`)}{' '}
                  <Text span size="xs" c="dimmed">
                    ({t(role.required ? 'ui.scenarios.wizard.required' : 'ui.scenarios.wizard.optional')})
                  </Text>
                </Table.Td>
                <Table.Td>
                  {role.multiple ? (
                    <MultiSelect data={columns} value={asList(value.columns[role.key])} onChange={(v) => set(role.key, v)} searchable clearable aria-label={role.key} />
                  ) : (
                    <Select data={columns} value={asList(value.columns[role.key])[0] ?? null} onChange={(v) => set(role.key, v)} clearable aria-label={role.key} />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
