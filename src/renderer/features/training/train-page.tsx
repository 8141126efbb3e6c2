/**
 * A training run: dataset → version → target → suggested families → features and settings → Train (Ctrl+Enter),
 * then the live learning curve from the job's per-epoch counters, with epoch, ETA and Cancel, and a link to the model.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert, Anchor, Badge, Breadcrumbs, Button, Checkbox, Collapse, Grid, Group, Kbd, NumberInput, Paper, Progress, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Text,
  TextInput, Title, Tooltip, UnstyledButton,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconAlertTriangle, IconChevronDown, IconChevronRight, IconExternalLink, IconPlayerPlay, IconPlayerStop, IconSparkles, IconStarFilled } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Version } from '../../../shared/model/catalog.js';
import { ModelRecordSchema, type FamilySuggestion, type HistoryEntry, type HyperParams, type ModelFamily, type TrainRequestInput } from '../../../shared/model/training.js';
import { describeError, describeErrorInfo, useApi, useDataset, useDatasets, useVersion } from '../../api/index.js';
import { ColumnTypeIcon } from '../../ui/column-type.js';
import { LineChart, type LineSeries } from '../../ui/charts/line-chart.js';
import { useFormat } from '../../ui/format.js';
import { keySegment } from '../../ui/i18n-keys.js';
import { navigate, routeHref } from '../../ui/routing.js';
import { preferredTrainingBackend } from '../../ui/preferences.js';
import { BACKENDS, CURVE_COLORS, FAMILIES, entryFromCounters, formatMetric, keyMetric } from './model-view.js';
import { useEpochHistory, useJobRun } from './use-job-run.js';

const NO_TARGET = '__none__';
/** Families whose hyper-parameters the form offers, with the request's key and the input kind. */
const HYPER_FIELDS: Partial<Record<ModelFamily, { key: string; kind: 'layers' | 'int' | 'float' }[]>> = {
  mlp: [{ key: 'hidden', kind: 'layers' }, { key: 'dropout', kind: 'float' }],
  logistic: [{ key: 'l2', kind: 'float' }],
  linear: [{ key: 'l2', kind: 'float' }],
  kmeans: [{ key: 'k', kind: 'int' }],
  dbscan: [{ key: 'eps', kind: 'float' }, { key: 'minSamples', kind: 'int' }],
  mf: [{ key: 'factors', kind: 'int' }, { key: 'l2', kind: 'float' }],
  embedding: [{ key: 'dim', kind: 'int' }],
  text: [{ key: 'maxFeatures', kind: 'int' }],
  anomaly: [{ key: 'contamination', kind: 'float' }, { key: 'trees', kind: 'int' }],
};
const RECOMMENDERS: readonly string[] = ['mf', 'embedding'];

interface Draft {
  datasetId: string | null;
  versionId: string | null;
  target: string;
  /** null: every column but the target. */
  features: string[] | null;
  /** null: follow the first recommended family. */
  family: ModelFamily | 'auto' | null;
  epochs: number;
  batchSize: number;
  /** null: the family's default. */
  learningRate: number | null;
  seed: number;
  patience: number | null;
  /** Binary classifiers: predict at 0.5, or at the validation rows' F1-best threshold. */
  threshold: 'default' | 'f1';
  folds: number | null;
  search: 'none' | 'grid' | 'random';
  trials: number;
  backend: 'auto' | (typeof BACKENDS)[number];
  name: string;
  hyper: Record<string, string>;
  userColumn: string | null;
  itemColumn: string | null;
}

const DEFAULT_DRAFT: Draft = {
  datasetId: null, versionId: null, target: '', features: null, family: null,
  epochs: 20, batchSize: 256, learningRate: null, seed: 42, patience: null, threshold: 'default', folds: null, search: 'none', trials: 8, backend: 'auto', name: '',
  hyper: {}, userColumn: null, itemColumn: null,
};

// The page remembers its form and its last run while the app is open, so a visit to the model page and back loses nothing.
// The backend starts as the one chosen in Settings (read when the page first opens in this session).
let remembered: { draft: Draft; jobId: string | null; epochs: number } | null = null;
function memory(): { draft: Draft; jobId: string | null; epochs: number } {
  return (remembered ??= { draft: { ...DEFAULT_DRAFT, backend: preferredTrainingBackend() }, jobId: null, epochs: 0 });
}

export function TrainPage({ versionId: routeVersionId }: { versionId?: string | undefined }) {
  const { t } = useTranslation();
  const api = useApi();
  const [draft, setDraftState] = useState<Draft>(() => (routeVersionId && routeVersionId !== memory().draft.versionId ? { ...memory().draft, versionId: routeVersionId, datasetId: null, target: '', features: null, family: null } : memory().draft));
  const setDraft = (patch: Partial<Draft>) =>
    setDraftState((d) => {
      const next = { ...d, ...patch };
      remembered = { ...memory(), draft: next };
      return next;
    });
  const run = useJobRun(memory().jobId, { quiet: true });
  const [runEpochs, setRunEpochs] = useState(memory().epochs);
  const [advanced, setAdvanced] = useState(false);

  // A version in the route (from a dataset page) picks its dataset.
  const routeVersion = useVersion(draft.datasetId ? null : draft.versionId);
  useEffect(() => {
    if (routeVersion.data && !draft.datasetId) setDraft({ datasetId: routeVersion.data.datasetId });
  }, [routeVersion.data]);

  const datasets = useDatasets('');
  const dataset = useDataset(draft.datasetId ?? '');
  const versions = useMemo(() => [...(draft.datasetId && dataset.data ? dataset.data.versions : [])].sort((a, b) => b.number - a.number), [dataset.data, draft.datasetId]);
  const version: Version | undefined = versions.find((v) => v.id === draft.versionId);
  // A dataset picked without a version: its latest.
  useEffect(() => {
    if (draft.datasetId && versions.length > 0 && !version) setDraft({ versionId: versions[0]!.id, target: '', features: null, family: null });
  }, [draft.datasetId, versions, version]);

  const suggestions = useQuery({
    queryKey: ['training', 'suggest', draft.versionId, draft.target],
    queryFn: () => api.training.suggestFamilies({ versionId: draft.versionId!, target: draft.target }),
    enabled: Boolean(version),
    staleTime: Infinity,
    retry: false,
  });
  const suggested = suggestions.data?.suggestions ?? [];
  const recommended = suggested.find((s) => s.recommended) ?? suggested[0];
  const family: ModelFamily | 'auto' = draft.family ?? recommended?.family ?? 'mlp';

  const columns = version?.columns ?? [];
  const candidates = columns.filter((c) => c.name !== draft.target);
  const features = draft.features ?? candidates.map((c) => c.name);
  const isRecommender = RECOMMENDERS.includes(family);

  const running = run.busy;
  const canTrain = Boolean(version) && features.length > 0 && !running && (!isRecommender || Boolean(draft.target && draft.userColumn && draft.itemColumn));

  const train = () => {
    if (!canTrain || !version) return;
    const hyper: HyperParams = {};
    for (const field of HYPER_FIELDS[family as ModelFamily] ?? []) {
      const raw = draft.hyper[`${family}.${field.key}`]?.trim();
      if (!raw) continue;
      if (field.kind === 'layers') {
        const sizes = raw.split(/[,\s]+/).filter(Boolean).map(Number);
        if (sizes.every((n) => Number.isInteger(n) && n > 0)) hyper[field.key] = sizes;
      } else if (Number.isFinite(Number(raw))) hyper[field.key] = Number(raw);
    }
    const request: TrainRequestInput = {
      versionId: version.id,
      target: draft.target,
      features,
      family,
      epochs: draft.epochs,
      batchSize: draft.batchSize,
      ...(draft.learningRate !== null ? { learningRate: draft.learningRate } : {}),
      seed: draft.seed,
      hyper,
      trials: draft.trials,
      ...(draft.patience ? { patience: draft.patience } : {}),
      ...(draft.threshold === 'f1' && suggestions.data?.task === 'binary' ? { threshold: 'f1' as const } : {}),
      ...(draft.folds ? { folds: draft.folds } : {}),
      ...(draft.search !== 'none' ? { search: draft.search } : {}),
      ...(draft.backend !== 'auto' ? { backend: draft.backend } : {}),
      ...(draft.name.trim() ? { name: draft.name.trim() } : {}),
      ...(isRecommender && draft.userColumn ? { userColumn: draft.userColumn } : {}),
      ...(isRecommender && draft.itemColumn ? { itemColumn: draft.itemColumn } : {}),
    };
    setRunEpochs(draft.epochs);
    void run.start(async () => {
      const started = await api.training.trainModel(request);
      remembered = { ...memory(), jobId: started.jobId, epochs: draft.epochs };
      return started;
    });
  };

  // Ctrl+Enter (⌘+Enter) trains from anywhere on the page, inputs included.
  useHotkeys([['mod+Enter', train]], []);

  const datasetOptions = (datasets.data ?? []).map((d) => ({ value: d.id, label: d.name }));
  const familyOption = (f: ModelFamily | 'auto') => ({ value: f, label: t(`ui.training.families.${f}`) });
  const suggestedFamilies = new Set(suggested.map((s) => s.family));
  const familyData = [
    { group: t('ui.training.suggestedGroup'), items: ['auto' as const, ...suggested.map((s) => s.family)].map(familyOption) },
    { group: t('ui.training.otherGroup'), items: FAMILIES.filter((f) => !suggestedFamilies.has(f)).map(familyOption) },
  ];

  return (
    <Stack gap="md" data-testid="train-page">
      <Breadcrumbs>
        <Anchor href={routeHref({ name: 'models' })} size="sm">
          {t('ui.training.studio')}
        </Anchor>
        <Text size="sm" c="dimmed">
          {t('ui.training.newRun')}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('ui.training.newRun')}</Title>
          <Text c="dimmed" size="sm" mt={4}>
            {t('ui.training.subtitle')}
          </Text>
        </div>
      </Group>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <Paper withBorder radius="md" p="md">
              <Stack gap="sm">
                <Text fw={650}>{t('ui.training.data')}</Text>
                <Select
                  label={t('ui.training.dataset')}
                  placeholder={t('ui.training.datasetPlaceholder')}
                  data={datasetOptions}
                  value={draft.datasetId}
                  searchable
                  nothingFoundMessage={t('ui.training.noDatasets')}
                  onChange={(v) => setDraft({ datasetId: v, versionId: null, target: '', features: null, family: null, userColumn: null, itemColumn: null })}
                  data-testid="train-dataset"
                />
                <Group grow gap="sm" align="flex-start">
                  <Select
                    label={t('ui.training.version')}
                    data={versions.map((v) => ({ value: v.id, label: versionLabel(v, t) }))}
                    value={version?.id ?? null}
                    disabled={!draft.datasetId}
                    allowDeselect={false}
                    onChange={(v) => v && setDraft({ versionId: v, target: '', features: null, family: null })}
                    data-testid="train-version"
                  />
                  <Select
                    label={t('ui.training.target')}
                    data={[{ value: NO_TARGET, label: t('ui.training.noTarget') }, ...columns.map((c) => ({ value: c.name, label: c.name }))]}
                    value={draft.target || NO_TARGET}
                    disabled={!version}
                    searchable
                    allowDeselect={false}
                    onChange={(v) => setDraft({ target: !v || v === NO_TARGET ? '' : v, features: null, family: null })}
                    data-testid="train-target"
                  />
                </Group>
                {version && (
                  <Text size="xs" c="dimmed">
                    {t('ui.training.versionInfo', { rows: version.rowCount.toLocaleString(), columns: version.columns.length })}
                  </Text>
                )}
              </Stack>
            </Paper>

            <Paper withBorder radius="md" p="md">
              <Stack gap="xs">
                <Group justify="space-between">
                  <Text fw={650}>
                    {t('ui.training.features')}{' '}
                    <Text span c="dimmed" size="sm" data-testid="train-feature-count">
                      {t('ui.training.featureCount', { n: features.length, total: candidates.length })}
                    </Text>
                  </Text>
                  <Group gap={4}>
                    <Button size="compact-xs" variant="subtle" disabled={!version} onClick={() => setDraft({ features: null })} data-testid="train-features-all">
                      {t('ui.training.selectAll')}
                    </Button>
                    <Button size="compact-xs" variant="subtle" disabled={!version} onClick={() => setDraft({ features: [] })} data-testid="train-features-none">
                      {t('ui.training.selectNone')}
                    </Button>
                  </Group>
                </Group>
                {!version ? (
                  <Text size="sm" c="dimmed">
                    {t('ui.training.pickVersionFirst')}
                  </Text>
                ) : (
                  <ScrollArea.Autosize mah={300} type="auto" offsetScrollbars>
                    <SimpleGrid cols={2} spacing={6} verticalSpacing={6} data-testid="train-features">
                      {candidates.map((c) => (
                        <Checkbox
                          key={c.name}
                          size="sm"
                          label={
                            <Group gap={6} wrap="nowrap">
                              <ColumnTypeIcon type={c.type} size={14} />
                              <Text size="sm" truncate="end">{c.name}</Text>
                            </Group>
                          }
                          aria-label={c.name}
                          checked={features.includes(c.name)}
                          onChange={(e) => {
                            const on = e.currentTarget.checked;
                            setDraft({ features: on ? candidates.map((x) => x.name).filter((n) => n === c.name || features.includes(n)) : features.filter((n) => n !== c.name) });
                          }}
                          data-column={c.name}
                        />
                      ))}
                    </SimpleGrid>
                  </ScrollArea.Autosize>
                )}
                {version && features.length === 0 && (
                  <Text size="xs" c="red">
                    {t('ui.training.noFeatures')}
                  </Text>
                )}
              </Stack>
            </Paper>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <Paper withBorder radius="md" p="md">
              <Stack gap="sm">
                <Group justify="space-between">
                  <Text fw={650}>{t('ui.training.model')}</Text>
                  {suggestions.data?.task && (
                    <Badge variant="light" tt="none" data-testid="train-task">
                      {t(`ui.training.tasks.${suggestions.data.task}`)}
                    </Badge>
                  )}
                </Group>
                {version && <Suggestions task={suggestions.data?.task ?? null} loading={suggestions.isFetching} error={suggestions.isError ? describeError(suggestions.error, t) : null} suggestions={suggested} selected={family} onPick={(f) => setDraft({ family: f })} />}
                <Group gap="sm" align="flex-end" grow>
                  <Select label={t('ui.training.family')} data={familyData} value={family} allowDeselect={false} onChange={(v) => v && setDraft({ family: v as ModelFamily | 'auto' })} data-testid="train-family" />
                  <TextInput label={t('ui.training.name')} placeholder={t('ui.training.namePlaceholder')} value={draft.name} onChange={(e) => setDraft({ name: e.currentTarget.value })} maxLength={200} data-testid="train-name" />
                </Group>
                {family === 'auto' && (
                  <Text size="xs" c="dimmed">
                    {t('ui.training.autoHint')}
                  </Text>
                )}
                {isRecommender && (
                  <Group grow gap="sm">
                    <Select label={t('ui.training.userColumn')} data={columns.map((c) => c.name)} value={draft.userColumn} onChange={(v) => setDraft({ userColumn: v })} data-testid="train-user-column" />
                    <Select label={t('ui.training.itemColumn')} data={columns.map((c) => c.name)} value={draft.itemColumn} onChange={(v) => setDraft({ itemColumn: v })} data-testid="train-item-column" />
                  </Group>
                )}
                <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
                  <NumberInput label={t('ui.training.epochs')} min={1} max={1000} value={draft.epochs} onChange={(v) => setDraft({ epochs: clampInt(v, 1, 1000, 20) })} data-testid="train-epochs" />
                  <NumberInput label={t('ui.training.batchSize')} min={1} max={65536} step={32} value={draft.batchSize} onChange={(v) => setDraft({ batchSize: clampInt(v, 1, 65536, 256) })} data-testid="train-batch-size" />
                  <NumberInput label={t('ui.training.learningRate')} min={0.000001} max={10} step={0.0005} decimalScale={6} value={draft.learningRate ?? ''} placeholder={t('ui.training.familyDefault')} onChange={(v) => setDraft({ learningRate: v === '' || !(Number(v) > 0) ? null : Math.min(10, Number(v)) })} data-testid="train-learning-rate" />
                  <NumberInput label={t('ui.training.seed')} step={1} allowDecimal={false} value={draft.seed} onChange={(v) => setDraft({ seed: Number.isInteger(Number(v)) ? Number(v) : 42 })} data-testid="train-seed" />
                </SimpleGrid>
                <UnstyledButton onClick={() => setAdvanced((a) => !a)} data-testid="train-advanced-toggle">
                  <Group gap={4}>
                    {advanced ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                    <Text size="sm" fw={600}>
                      {t('ui.training.advanced')}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t('ui.training.advancedHint')}
                    </Text>
                  </Group>
                </UnstyledButton>
                <Collapse expanded={advanced}>
                  <Stack gap="sm">
                    <SimpleGrid cols={{ base: 2, md: 3 }} spacing="sm">
                      <NumberInput label={t('ui.training.patience')} description={t('ui.training.patienceHint')} placeholder={t('ui.training.off')} min={1} max={1000} allowDecimal={false} value={draft.patience ?? ''} onChange={(v) => setDraft({ patience: v === '' ? null : clampInt(v, 1, 1000, 5) })} data-testid="train-patience" />
                      <NumberInput label={t('ui.training.folds')} description={t('ui.training.foldsHint')} placeholder={t('ui.training.off')} min={2} max={20} allowDecimal={false} value={draft.folds ?? ''} onChange={(v) => setDraft({ folds: v === '' ? null : clampInt(v, 2, 20, 5) })} data-testid="train-folds" />
                      {suggestions.data?.task === 'binary' && (
                        <Select
                          label={t('ui.training.threshold')}
                          description={t('ui.training.thresholdHint')}
                          data={(['default', 'f1'] as const).map((v) => ({ value: v, label: t(`ui.training.thresholds.${v}`) }))}
                          value={draft.threshold}
                          allowDeselect={false}
                          onChange={(v) => v && setDraft({ threshold: v as Draft['threshold'] })}
                          data-testid="train-threshold"
                        />
                      )}
                      <Select
                        label={t('ui.training.backend')}
                        description={t('ui.training.backendHint')}
                        data={['auto', ...BACKENDS].map((b) => ({ value: b, label: t(`ui.training.backends.${b}`) }))}
                        value={draft.backend}
                        allowDeselect={false}
                        onChange={(v) => v && setDraft({ backend: v as Draft['backend'] })}
                        data-testid="train-backend"
                      />
                    </SimpleGrid>
                    <Group gap="sm" align="flex-end">
                      <Stack gap={4}>
                        <Text size="sm" fw={500}>
                          {t('ui.training.search')}
                        </Text>
                        <SegmentedControl
                          size="sm"
                          value={draft.search}
                          onChange={(v) => setDraft({ search: v as Draft['search'] })}
                          data={(['none', 'grid', 'random'] as const).map((s) => ({ value: s, label: t(`ui.training.searchModes.${s}`) }))}
                          data-testid="train-search"
                        />
                      </Stack>
                      <NumberInput w={120} label={t('ui.training.trials')} min={1} max={200} allowDecimal={false} disabled={draft.search === 'none'} value={draft.trials} onChange={(v) => setDraft({ trials: clampInt(v, 1, 200, 8) })} data-testid="train-trials" />
                    </Group>
                    {(HYPER_FIELDS[family as ModelFamily] ?? []).length > 0 && (
                      <SimpleGrid cols={{ base: 2, md: 3 }} spacing="sm">
                        {(HYPER_FIELDS[family as ModelFamily] ?? []).map((field) => (
                          <TextInput
                            key={field.key}
                            label={t(`ui.training.hyper.${field.key}`)}
                            placeholder={field.kind === 'layers' ? '64, 64' : t('ui.training.defaultValue')}
                            value={draft.hyper[`${family}.${field.key}`] ?? ''}
                            onChange={(e) => setDraft({ hyper: { ...draft.hyper, [`${family}.${field.key}`]: e.currentTarget.value } })}
                            data-testid={`train-hyper-${field.key}`}
                          />
                        ))}
                      </SimpleGrid>
                    )}
                  </Stack>
                </Collapse>
                {run.startError && (
                  <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="train-start-error">
                    {run.startError}
                  </Alert>
                )}
                <Group justify="flex-end" gap="sm">
                  <Text size="xs" c="dimmed">
                    <Kbd size="xs">Ctrl</Kbd> + <Kbd size="xs">Enter</Kbd>
                  </Text>
                  <Button leftSection={<IconPlayerPlay size={16} />} onClick={train} disabled={!canTrain} loading={running} data-testid="train-start">
                    {t('ui.training.train')}
                  </Button>
                </Group>
              </Stack>
            </Paper>

            {run.jobId && <RunPanel jobId={run.jobId} epochs={runEpochs} run={run} />}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function versionLabel(v: Version, t: (k: string, o?: Record<string, unknown>) => string): string {
  return `v${v.number} · ${t(`ui.operations.${keySegment(v.operation)}`, { defaultValue: v.operation })}`;
}

function clampInt(v: string | number, min: number, max: number, fallback: number): number {
  const n = Math.round(Number(v));
  return Number.isFinite(n) && v !== '' ? Math.min(max, Math.max(min, n)) : fallback;
}

function Suggestions({ task, loading, error, suggestions, selected, onPick }: { task: string | null; loading: boolean; error: string | null; suggestions: FamilySuggestion[]; selected: string; onPick: (f: ModelFamily) => void }) {
  const { t, i18n } = useTranslation();
  if (error) {
    return (
      <Text size="xs" c="red" data-testid="train-suggest-error">
        {t('ui.training.suggestFailed', { message: error })}
      </Text>
    );
  }
  if (suggestions.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        {loading ? t('ui.training.suggesting') : t('ui.training.noSuggestions')}
      </Text>
    );
  }
  // Recommended first; the service already orders them, but the page must not depend on it.
  const ordered = [...suggestions].sort((a, b) => Number(b.recommended) - Number(a.recommended));
  return (
    <Stack gap={6} data-testid="train-suggestions">
      <Group gap={6}>
        <IconSparkles size={16} color="var(--mantine-color-indigo-5)" />
        <Text size="sm" fw={600}>
          {t('ui.training.suggestions')}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={8}>
        {ordered.map((s) => {
          const key = `ui.training.reasons.${s.reason}`;
          // An unknown reason shows its key, so it is visible (and reported) rather than hidden.
          const reason = i18n.exists(key) ? t(key, s.params) : s.reason;
          const active = selected === s.family;
          return (
            <UnstyledButton
              key={s.family}
              onClick={() => onPick(s.family)}
              data-testid="train-suggestion"
              data-family={s.family}
              data-recommended={s.recommended}
              aria-pressed={active}
              style={{
                border: `1px solid ${active ? 'var(--mantine-color-indigo-filled)' : 'var(--mantine-color-default-border)'}`,
                background: active ? 'var(--mantine-color-indigo-light)' : undefined,
                borderRadius: 'var(--mantine-radius-md)',
                padding: '8px 10px',
              }}
            >
              <Group gap={6} wrap="nowrap" justify="space-between" align="flex-start">
                <Text size="sm" fw={650} style={{ minWidth: 0 }}>
                  {t(`ui.training.families.${s.family}`)}
                </Text>
                {s.recommended && (
                  <Tooltip label={t('ui.training.recommended')}>
                    <IconStarFilled size={14} color="var(--mantine-color-teal-6)" style={{ flex: 'none', marginTop: 3 }} aria-label={t('ui.training.recommendedShort')} />
                  </Tooltip>
                )}
              </Group>
              {/* The task shows only where it differs from the target's (anomaly detection beside a classifier). */}
              {s.task !== task && (
                <Badge size="xs" variant="light" color="gray" tt="none" mt={2}>
                  {t(`ui.training.tasks.${s.task}`)}
                </Badge>
              )}
              <Text size="xs" c="dimmed" mt={2} data-testid="train-suggestion-reason">
                {reason}
              </Text>
            </UnstyledButton>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}

/** The live run: epoch x/y, progress, ETA, cancel, the curve, and when done a link to the model. */
function RunPanel({ jobId, epochs, run }: { jobId: string; epochs: number; run: ReturnType<typeof useJobRun> }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const live = useEpochHistory(jobId);
  const job = run.job;
  const model = useMemo(() => {
    if (!job || job.state !== 'succeeded') return null;
    const parsed = ModelRecordSchema.safeParse(job.result);
    if (parsed.success) return { id: parsed.data.id, record: parsed.data };
    const id = (job.result as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? { id, record: null } : null;
  }, [job]);
  // The finished model's own history is the record; the live one is what arrived on the way.
  const history: HistoryEntry[] = model?.record && model.record.report.history.length > 0 ? model.record.report.history : live.history;
  const current = job ? entryFromCounters(job.counters) : null;
  const lastEpoch = model?.record ? (history.at(-1)?.epoch ?? 0) : Math.max(history.at(-1)?.epoch ?? 0, current?.epoch ?? 0);
  const totalEpochs = job?.counters.epochs ?? epochs;
  const active = run.busy;
  const state = job?.state ?? 'queued';
  const latest = history.at(-1);
  const metric = model?.record ? keyMetric(model.record) : null;
  const metricName = model?.record?.report.validationMetric;
  const valMetricLabel = metricName ? t('ui.training.curve.valMetricNamed', { metric: metricName }) : t('ui.training.curve.valMetric');

  const series = useMemo(() => {
    const s: LineSeries[] = [{ name: t('ui.training.curve.loss'), points: history.map((h) => [h.epoch, h.loss] as [number, number]), color: CURVE_COLORS.loss, area: true }];
    if (history.some((h) => h.valLoss !== undefined)) s.push({ name: t('ui.training.curve.valLoss'), points: history.filter((h) => h.valLoss !== undefined).map((h) => [h.epoch, h.valLoss!] as [number, number]), color: CURVE_COLORS.valLoss, area: false });
    const withMetric = history.filter((h) => h.valMetric !== undefined);
    return withMetric.length > 0 ? [...s, { name: valMetricLabel, points: withMetric.map((h) => [h.epoch, h.valMetric!] as [number, number]), color: CURVE_COLORS.valMetric, right: true, dashed: true }] : s;
  }, [history, t, valMetricLabel]);

  // A new run scrolls into view: the curve is what the user watches next.
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [jobId]);

  return (
    <Paper ref={panel} withBorder radius="md" p="md" data-testid="train-run" data-job-id={jobId} data-state={state} style={{ scrollMarginTop: 'calc(var(--app-shell-header-height, 56px) + var(--mantine-spacing-md))' }}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Text fw={650}>{t('ui.training.run')}</Text>
            <Badge variant="light" color={state === 'succeeded' ? 'teal' : state === 'failed' ? 'red' : state === 'cancelled' ? 'orange' : 'blue'} data-testid="train-state">
              {t(`ui.jobs.state.${state}`)}
            </Badge>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" fw={600} data-testid="train-epoch" data-epoch={lastEpoch} data-epochs={totalEpochs} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {t('ui.training.epochOf', { epoch: lastEpoch, epochs: totalEpochs })}
            </Text>
            {active && live.fits > 1 && (
              <Badge variant="outline" color="gray" tt="none" data-testid="train-fit">
                {t('ui.training.fitOf', { fit: live.fit, fits: live.fits })}
              </Badge>
            )}
            {job?.state === 'running' && job.etaMs !== null && (
              <Text size="xs" c="dimmed" data-testid="train-eta">
                {job.etaMs < 1500 ? t('ui.jobs.etaSoon') : t('ui.jobs.eta', { duration: fmt.duration(job.etaMs) })}
              </Text>
            )}
            {active && (
              <Button size="xs" variant="light" color="red" leftSection={<IconPlayerStop size={14} />} loading={run.cancelling} onClick={() => void run.cancel()} data-testid="train-cancel">
                {t('ui.jobs.cancel')}
              </Button>
            )}
          </Group>
        </Group>
        {active && <Progress value={(job?.progress ?? 0) * 100} striped animated size="sm" aria-label={t('ui.jobs.progress')} />}
        {job?.message && active && (
          <Text size="xs" c="dimmed" truncate="end">
            {job.message}
          </Text>
        )}
        {latest && (
          <Group gap="lg" data-testid="train-latest">
            <Stat label={t('ui.training.curve.loss')} value={formatMetric(latest.loss)} />
            {latest.valLoss !== undefined && <Stat label={t('ui.training.curve.valLoss')} value={formatMetric(latest.valLoss)} />}
            {latest.valMetric !== undefined && <Stat label={valMetricLabel} value={formatMetric(latest.valMetric)} />}
          </Group>
        )}
        <LineChart
          series={series}
          xName={t('ui.training.curve.epoch')}
          xMin={1}
          xMax={Math.max(2, totalEpochs)}
          integerX
          rightName={valMetricLabel}
          height={260}
          data-testid="train-curve"
          dataAttributes={{ points: history.length }}
        />
        {state === 'cancelled' && (
          <Alert color="orange" icon={<IconPlayerStop size={18} />} data-testid="train-cancelled">
            {t('ui.training.cancelled')}
          </Alert>
        )}
        {job?.state === 'failed' && job.error && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="train-error">
            {describeErrorInfo(job.error, t)}
          </Alert>
        )}
        {job?.state === 'interrupted' && (
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
            {t('errors.E_INTERRUPTED', { defaultValue: t('ui.jobs.state.interrupted') })}
          </Alert>
        )}
        {model && (
          <Alert color="teal" variant="light" data-testid="train-done">
            <Group justify="space-between">
              <Text size="sm">
                {metric ? t('ui.training.doneWithMetric', { metric: metric.name, value: formatMetric(metric.value) }) : t('ui.training.done')}
              </Text>
              <Button size="xs" leftSection={<IconExternalLink size={14} />} onClick={() => navigate({ name: 'model', modelId: model.id })} data-testid="train-open-model">
                {t('ui.training.openModel')}
              </Button>
            </Group>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={650} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </div>
  );
}
