/**
 * The Clean tab's recipe builder: steps added one by one, each previewed on a sample (rows before → after, cells
 * changed, or the step's error), then run as a job that publishes one new version.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  ActionIcon, Alert, Badge, Button, Group, Menu, Paper, ScrollArea, SegmentedControl, Select, Stack, Table, Text, TextInput, Title, Tooltip,
} from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconDeviceFloppy, IconPlayerPlay, IconPlus, IconTrash, IconExternalLink } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Version } from '../../../shared/model/catalog.js';
import type { CleanPreview, CleanResult, CleaningStepInput, StepReport } from '../../../shared/model/cleaning.js';
import { asErrorInfo, describeError, describeErrorInfo, useApi } from '../../api/index.js';
import { JobCard } from '../../ui/job-card.js';
import { useFormat } from '../../ui/format.js';
import { notifyError, notifySuccess } from '../../ui/notify.js';
import { CLEANING_OPS, columnsBefore, defaultStep, draft, isComplete, type CleaningOp, type DraftStep } from './steps.js';
import { StepEditor } from './step-editor.js';
import { useJobRun } from '../training/index.js';

const SHOW_ROWS = 20;

export interface RecipeBuilderProps {
  /** The version the page shows. */
  version: Version;
  versions: Version[];
  onOpenVersion: (versionId: string) => void;
}

export function RecipeBuilder({ version: shown, versions, onOpenVersion }: RecipeBuilderProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const api = useApi();
  const queryClient = useQueryClient();
  const [steps, setSteps] = useState<DraftStep[]>([]);
  const [recipeName, setRecipeName] = useState('');
  const [show, setShow] = useState<'after' | 'before'>('after');
  const run = useJobRun();
  // The recipe works on the version the page showed when it was built; a run's new version (which the page jumps
  // to) does not move it, a version the user picks does (the steps stay: recipes replay on any version).
  const [baseId, setBaseId] = useState(shown.id);
  useEffect(() => {
    if (!run.job) setBaseId(shown.id);
  }, [shown.id, run.job]);
  const version = versions.find((v) => v.id === baseId) ?? shown;
  const saved = useQuery({ queryKey: ['cleaning', 'recipes'], queryFn: () => api.cleaning.listRecipes({}) });

  // Only complete steps are previewed, in order, up to the first incomplete one.
  const firstIncomplete = steps.findIndex((s) => !isComplete(s.step));
  const ready = (firstIncomplete < 0 ? steps : steps.slice(0, firstIncomplete)).map((s) => s.step);
  const [debounced] = useDebouncedValue(ready, 350);
  const previewKey = JSON.stringify(debounced);
  const preview = useQuery({
    queryKey: ['cleaning', 'preview', version.id, previewKey],
    queryFn: () => api.cleaning.previewRecipe({ versionId: version.id, steps: debounced as never, showRows: SHOW_ROWS }),
    staleTime: Infinity,
  });
  const p: CleanPreview | undefined = preview.data;

  const update = (key: number, step: CleaningStepInput) => setSteps((all) => all.map((s) => (s.key === key ? { ...s, step } : s)));
  const move = (i: number, by: number) =>
    setSteps((all) => {
      const next = [...all];
      const [moved] = next.splice(i, 1);
      next.splice(i + by, 0, moved!);
      return next;
    });
  const add = (op: CleaningOp) => setSteps((all) => [...all, draft(defaultStep(op, columnsBefore(version.columns, all.map((s) => s.step), all.length) as never))]);

  const canRun = steps.length > 0 && firstIncomplete < 0 && !run.busy && !(p && p.error && previewKey === JSON.stringify(ready));
  const start = () => {
    if (!canRun) return;
    void run.start(() => api.cleaning.runRecipe({ versionId: version.id, recipe: { ...(recipeName.trim() ? { name: recipeName.trim() } : {}), steps: steps.map((s) => s.step) as never } }));
  };
  useHotkeys([['mod+Enter', start]], []);

  const result = run.job?.state === 'succeeded' ? (run.job.result as CleanResult) : null;
  useEffect(() => {
    if (result) void queryClient.invalidateQueries({ queryKey: ['catalog'] });
  }, [result, queryClient]);

  const saveRecipe = async () => {
    try {
      const out = await api.cleaning.saveRecipe({ name: recipeName.trim(), recipe: { steps: steps.map((s) => s.step) as never } });
      notifySuccess(t('ui.cleaning.savedTitle'), t('ui.cleaning.savedText', { name: out.name }));
      void saved.refetch();
    } catch (err) {
      notifyError(t('ui.cleaning.saveFailed'), describeError(err, t));
    }
  };

  const reportOf = (i: number): StepReport | undefined => (i < ready.length && previewKey === JSON.stringify(ready) ? p?.steps[i] : undefined);
  const errorAt = p?.error && previewKey === JSON.stringify(ready) ? p.error : null;
  const table = show === 'after' ? p?.after : p?.before;

  return (
    <Stack gap="md" data-testid="recipe-builder">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={4}>{t('ui.cleaning.recipeTitle')}</Title>
          <Text size="sm" c="dimmed">
            {t('ui.cleaning.recipeIntro', { number: version.number })}
          </Text>
        </Stack>
        <Group gap="xs" align="flex-end">
          <Select
            w={220}
            placeholder={t('ui.cleaning.loadSaved')}
            aria-label={t('ui.cleaning.loadSaved')}
            data={(saved.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
            value={null}
            onChange={(id) => {
              const r = saved.data?.find((x) => x.id === id);
              if (!r) return;
              setSteps(r.recipe.steps.map((s) => draft(s)));
              setRecipeName(r.name);
            }}
            disabled={!saved.data?.length}
            data-testid="load-recipe"
          />
          <TextInput w={200} placeholder={t('ui.cleaning.recipeName')} aria-label={t('ui.cleaning.recipeName')} value={recipeName} onChange={(e) => setRecipeName(e.currentTarget.value)} data-testid="recipe-name" />
          <Tooltip label={t('ui.cleaning.saveRecipe')}>
            <ActionIcon size="lg" variant="default" onClick={saveRecipe} disabled={!recipeName.trim() || steps.length === 0 || firstIncomplete >= 0} aria-label={t('ui.cleaning.saveRecipe')} data-testid="save-recipe">
              <IconDeviceFloppy size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>

      {steps.length === 0 && (
        <Alert color="blue" variant="light" data-testid="recipe-empty">
          {t('ui.cleaning.empty')}
        </Alert>
      )}
      {steps.map((s, i) => {
        const rep = reportOf(i);
        const failed = errorAt && errorAt.step === i ? errorAt : null;
        const cols = columnsBefore(version.columns, steps.map((x) => x.step), i);
        return (
          <Paper key={s.key} withBorder radius="md" p="sm" data-testid="recipe-step" data-op={s.step.op}>
            <Stack gap="xs">
              <Group justify="space-between" wrap="nowrap">
                <Group gap="xs">
                  <Badge variant="filled" radius="sm" size="lg">
                    {i + 1}
                  </Badge>
                  <Text fw={600}>{t(`ui.cleaning.ops.${s.step.op}`)}</Text>
                  <Text size="xs" c="dimmed">
                    {t(`ui.cleaning.opHelp.${s.step.op}`)}
                  </Text>
                </Group>
                <Group gap={4} wrap="nowrap">
                  <ActionIcon variant="subtle" color="gray" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('ui.cleaning.moveUp')}>
                    <IconArrowUp size={16} />
                  </ActionIcon>
                  <ActionIcon variant="subtle" color="gray" disabled={i === steps.length - 1} onClick={() => move(i, 1)} aria-label={t('ui.cleaning.moveDown')}>
                    <IconArrowDown size={16} />
                  </ActionIcon>
                  <ActionIcon variant="subtle" color="red" onClick={() => setSteps((all) => all.filter((x) => x.key !== s.key))} aria-label={t('ui.cleaning.removeStep')} data-testid="remove-step">
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              </Group>
              <StepEditor step={s.step} columns={cols} onChange={(step) => update(s.key, step)} testId={`step-${i}`} />
              {rep && (
                <Text size="xs" c="dimmed" data-testid="step-report">
                  {t('ui.cleaning.stepReport', { before: fmt.integer(rep.rowsBefore), after: fmt.integer(rep.rowsAfter), cells: fmt.integer(rep.changedCells), count: rep.changedCells })}
                </Text>
              )}
              {failed && (
                <Text size="xs" c="red" data-testid="step-error">
                  {describeErrorInfo({ code: failed.code as never, message: failed.message, ...(failed.params ? { params: failed.params } : {}) }, t)}
                </Text>
              )}
            </Stack>
          </Paper>
        );
      })}

      <Group justify="space-between">
        <Menu position="bottom-start" withinPortal>
          <Menu.Target>
            <Button variant="light" leftSection={<IconPlus size={16} />} data-testid="add-step">
              {t('ui.cleaning.addStep')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {CLEANING_OPS.map((op) => (
              <Menu.Item key={op} onClick={() => add(op)} data-testid={`add-${op}`}>
                {t(`ui.cleaning.ops.${op}`)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
        <Tooltip label={t('ui.cleaning.runHint')}>
          <Button leftSection={<IconPlayerPlay size={16} />} onClick={start} disabled={!canRun} loading={run.busy} data-testid="run-recipe">
            {t('ui.cleaning.run')}
          </Button>
        </Tooltip>
      </Group>

      {run.startError && (
        <Alert color="red" data-testid="run-error">
          {run.startError}
        </Alert>
      )}
      {run.job && (
        <JobCard
          job={run.job}
          errorText={run.job.error ? describeErrorInfo(asErrorInfo(run.job.error) ?? { code: 'E_INTERNAL', message: String(run.job.error) }, t) : undefined}
          actions={
            result ? (
              <Button
                size="xs"
                leftSection={<IconExternalLink size={14} />}
                onClick={() => {
                  run.reset();
                  setSteps([]);
                  setBaseId(result.versionId);
                  onOpenVersion(result.versionId);
                }}
                data-testid="open-clean-version"
              >
                {t('ui.cleaning.openVersion', { rows: fmt.integer(result.rowCount) })}
              </Button>
            ) : run.busy ? (
              <Button size="xs" variant="default" onClick={() => void run.cancel()}>
                {t('ui.common.cancel')}
              </Button>
            ) : undefined
          }
        />
      )}

      <Paper withBorder radius="md" p="sm" data-testid="clean-preview">
        <Stack gap="xs">
          <Group justify="space-between">
            <Text fw={600}>
              {t('ui.cleaning.previewTitle', { rows: fmt.integer(p?.sampleRows ?? 0) })}
            </Text>
            <SegmentedControl
              size="xs"
              data={[
                { value: 'after', label: t('ui.cleaning.after', { n: fmt.integer(p?.steps.at(-1)?.rowsAfter ?? p?.sampleRows ?? 0) }) },
                { value: 'before', label: t('ui.cleaning.before', { n: fmt.integer(p?.sampleRows ?? 0) }) },
              ]}
              value={show}
              onChange={(v) => setShow(v as 'after' | 'before')}
              data-testid="preview-toggle"
            />
          </Group>
          {preview.isError && <Alert color="red">{describeError(preview.error, t)}</Alert>}
          {table && <PreviewTable columns={table.columns} rows={table.rows} />}
        </Stack>
      </Paper>
    </Stack>
  );
}

function PreviewTable({ columns, rows }: { columns: { name: string }[]; rows: (string | number | null)[][] }) {
  const { t } = useTranslation();
  return (
    <ScrollArea type="auto" mah={360}>
      <Table striped="even" withColumnBorders verticalSpacing={4} fz="xs" stickyHeader data-testid="preview-table">
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.name} style={{ whiteSpace: 'nowrap' }}>
                {c.name}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={i}>
              {r.map((v, j) => (
                <Table.Td key={j} style={{ whiteSpace: 'nowrap', maxWidth: 220, overflow: 'hidden', textOverflow: 'ellipsis' }} c={v === null ? 'dimmed' : undefined}>
                  {v === null ? t('ui.cleaning.missing') : String(v)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
