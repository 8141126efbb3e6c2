/**
 * The fairness audit page: choose a version (or a model and a version), the label, prediction/score and sensitive
 * columns; run the audit as a job; read the intersection table, disparity cards, charts and the guidance helper;
 * run the threshold optimiser and compare before and after. Stored audits are listed and can be reopened.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  Alert, Badge, Button, Grid, Group, MultiSelect, NumberInput, Paper, Progress, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, UnstyledButton,
  useComputedColorScheme,
} from '@mantine/core';
import { IconAlertTriangle, IconPlayerPlay, IconScale } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { GROUP_METRICS, DISPARITY_METRICS, retrainRequest, type AuditRecord, type FairnessConstraint, type GroupMetric, type PrivacyComparison, type ReweighResult } from '../../../shared/model/fairness.js';
import type { Api } from '../../../shared/contract/index.js';
import type { ModelRecord } from '../../../shared/model/training.js';
import { calibrationOption, disparateImpactOption, metricByGroupOption, privacyFairnessOption, tradeoffOption } from '../../../shared/charts/fairness.js';
import { describeError, describeErrorInfo, isActiveJob, useApi, useDataset, useDatasets, useJobs, useModels } from '../../api/index.js';
import { EChart } from '../../ui/charts/echart.js';
import { ExportReportButton } from '../reports/index.js';
import { useFormat } from '../../ui/format.js';

const AUDITS_KEY = ['fairness', 'audits'] as const;
const fixed = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '—' : v.toFixed(digits));

/** Starts a job and follows it through the cached job list; `onDone` gets the succeeded job's result once. */
function useFairnessJob(onDone: (result: { auditId: string }) => void) {
  const { t } = useTranslation();
  const jobs = useJobs();
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const job = jobId ? jobs.data?.find((j) => j.id === jobId) : undefined;
  useEffect(() => {
    if (!job || isActiveJob(job)) return;
    if (job.state === 'succeeded') onDone(job.result as { auditId: string });
    else if (job.error) setError(describeErrorInfo(job.error, t));
    setJobId(null);
  }, [job?.state]);
  const start = async (call: () => Promise<{ jobId: string }>) => {
    setError(null);
    setStarting(true);
    try {
      setJobId((await call()).jobId);
      void jobs.refetch();
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setStarting(false);
    }
  };
  return { busy: starting || Boolean(jobId), progress: job?.progress ?? 0, message: job?.message ?? '', error, start };
}

interface Draft {
  datasetId: string | null;
  versionId: string | null;
  modelId: string | null;
  label: string | null;
  prediction: string | null;
  score: string | null;
  threshold: number;
  sensitive: string[];
  positive: string;
  reference: string;
  bootstrap: number;
  minGroupSize: number;
}

const EMPTY: Draft = { datasetId: null, versionId: null, modelId: null, label: null, prediction: null, score: null, threshold: 0.5, sensitive: [], positive: '', reference: '', bootstrap: 1000, minGroupSize: 30 };
let remembered: { draft: Draft; auditId: string | null } = { draft: EMPTY, auditId: null };

export function FairnessPage() {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const [draft, setDraftState] = useState<Draft>(remembered.draft);
  const [auditId, setAuditIdState] = useState<string | null>(remembered.auditId);
  const setDraft = (patch: Partial<Draft>) => setDraftState((d) => (remembered.draft = { ...d, ...patch }));
  const setAuditId = (id: string | null) => {
    remembered.auditId = id;
    setAuditIdState(id);
  };

  const datasets = useDatasets('');
  const dataset = useDataset(draft.datasetId ?? '');
  const versions = useMemo(() => [...(draft.datasetId && dataset.data ? dataset.data.versions : [])].sort((a, b) => b.number - a.number), [dataset.data, draft.datasetId]);
  const version = versions.find((v) => v.id === draft.versionId);
  useEffect(() => {
    if (draft.datasetId && versions.length > 0 && !version) setDraft({ versionId: versions[0]!.id });
  }, [draft.datasetId, versions, version]);
  const models = useModels();
  const classifiers = (models.data ?? []).filter((m) => m.task === 'binary');
  const columns = (version?.columns ?? []).map((c) => c.name);

  const audits = useQuery({ queryKey: AUDITS_KEY, queryFn: () => api.fairness.listAudits({}) });
  const audit = useQuery({ queryKey: ['fairness', 'audit', auditId], queryFn: () => api.fairness.getAudit({ auditId: auditId! }), enabled: Boolean(auditId), staleTime: Infinity });
  const run = useFairnessJob((result) => {
    void queryClient.invalidateQueries({ queryKey: AUDITS_KEY });
    setAuditId(result.auditId);
  });

  const referenceSpec = draft.reference.trim();
  const reference = referenceSpec
    ? Object.fromEntries(referenceSpec.split(',').map((p) => p.split('=').map((s) => s.trim()) as [string, string]).filter(([k, v]) => k && v !== undefined))
    : undefined;
  const canRun = Boolean(version && draft.label && draft.sensitive.length > 0 && (draft.prediction || draft.score || draft.modelId)) && !run.busy;
  const start = () => {
    if (!canRun || !version) return;
    void run.start(() =>
      api.fairness.audit({
        versionId: version.id,
        label: draft.label!,
        sensitive: draft.sensitive,
        threshold: draft.threshold,
        bootstrap: draft.bootstrap,
        minGroupSize: draft.minGroupSize,
        marginal: draft.sensitive.length > 1,
        ...(draft.prediction ? { prediction: draft.prediction } : {}),
        ...(draft.score ? { score: draft.score } : {}),
        ...(draft.modelId ? { modelId: draft.modelId } : {}),
        ...(draft.positive.trim() ? { positive: draft.positive.trim() } : {}),
        ...(reference ? { reference } : {}),
      }),
    );
  };
  const columnData = columns.map((c) => ({ value: c, label: c }));

  return (
    <Stack gap="lg" data-testid="fairness-page">
      <div>
        <Title order={2}>{t('ui.fairness.title')}</Title>
        <Text c="dimmed" size="sm" mt={4}>
          {t('ui.fairness.subtitle')}
        </Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Paper withBorder p="md" radius="md">
              <Stack gap="sm">
                <Text fw={600}>{t('ui.fairness.setup')}</Text>
                <Select
                  label={t('ui.fairness.version')}
                  placeholder={t('ui.fairness.versionPlaceholder')}
                  data={(datasets.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
                  value={draft.datasetId}
                  onChange={(v) => setDraft({ ...EMPTY, datasetId: v, bootstrap: draft.bootstrap, minGroupSize: draft.minGroupSize })}
                  searchable
                  data-testid="fairness-dataset"
                />
                {versions.length > 1 && (
                  <Select data={versions.map((v) => ({ value: v.id, label: `v${v.number} · ${v.operation}` }))} value={draft.versionId} onChange={(v) => setDraft({ versionId: v })} aria-label={t('ui.fairness.version')} data-testid="fairness-version" />
                )}
                <Select
                  label={t('ui.fairness.model')}
                  description={t('ui.fairness.modelHint')}
                  data={classifiers.map((m) => ({ value: m.id, label: m.name }))}
                  value={draft.modelId}
                  onChange={(v) => setDraft({ modelId: v })}
                  clearable
                  placeholder={t('ui.fairness.none')}
                  data-testid="fairness-model"
                />
                <Select label={t('ui.fairness.label')} data={columnData} value={draft.label} onChange={(v) => setDraft({ label: v })} searchable data-testid="fairness-label" />
                <Group grow align="flex-start">
                  <Select label={t('ui.fairness.prediction')} data={columnData} value={draft.prediction} onChange={(v) => setDraft({ prediction: v })} searchable clearable disabled={Boolean(draft.modelId)} data-testid="fairness-prediction" />
                  <Select label={t('ui.fairness.score')} data={columnData} value={draft.score} onChange={(v) => setDraft({ score: v })} searchable clearable disabled={Boolean(draft.modelId)} data-testid="fairness-score" />
                </Group>
                <MultiSelect
                  label={t('ui.fairness.sensitive')}
                  description={t('ui.fairness.sensitiveHint')}
                  data={columnData.filter((c) => c.value !== draft.label)}
                  value={draft.sensitive}
                  onChange={(v) => setDraft({ sensitive: v.slice(0, 4) })}
                  searchable
                  data-testid="fairness-sensitive"
                />
                <Group grow align="flex-start">
                  <TextInput label={t('ui.fairness.positive')} placeholder={t('ui.fairness.positiveAuto')} value={draft.positive} onChange={(e) => setDraft({ positive: e.currentTarget.value })} data-testid="fairness-positive" />
                  <NumberInput label={t('ui.fairness.threshold')} value={draft.threshold} min={0} max={1} step={0.05} decimalScale={3} onChange={(v) => setDraft({ threshold: Number(v) || 0 })} disabled={Boolean(draft.prediction)} />
                </Group>
                <TextInput label={t('ui.fairness.reference')} placeholder={`${t('ui.fairness.referenceAuto')} · sex=Male, race=White`} value={draft.reference} onChange={(e) => setDraft({ reference: e.currentTarget.value })} data-testid="fairness-reference" />
                <Group grow align="flex-start">
                  <NumberInput label={t('ui.fairness.bootstrap')} value={draft.bootstrap} min={0} max={10000} step={100} onChange={(v) => setDraft({ bootstrap: Number(v) || 0 })} data-testid="fairness-bootstrap" />
                  <NumberInput label={t('ui.fairness.minGroupSize')} value={draft.minGroupSize} min={1} step={10} onChange={(v) => setDraft({ minGroupSize: Math.max(1, Number(v) || 1) })} data-testid="fairness-min-group" />
                </Group>
                <Button leftSection={<IconPlayerPlay size={16} />} onClick={start} disabled={!canRun} loading={run.busy} data-testid="fairness-run">
                  {t('ui.fairness.run')}
                </Button>
                {run.busy && <Progress value={run.progress * 100} animated aria-label={run.message} />}
                {run.error && (
                  <Alert color="red" icon={<IconAlertTriangle size={16} />} data-testid="fairness-error">
                    {run.error}
                  </Alert>
                )}
              </Stack>
            </Paper>
            <GuidancePanel />
            <PrivacyPanel versionId={version?.id ?? null} label={draft.label} sensitive={draft.sensitive} positive={draft.positive.trim()} />
            <Paper withBorder p="md" radius="md">
              <Text fw={600} mb="xs">
                {t('ui.fairness.history')}
              </Text>
              {(audits.data ?? []).length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('ui.fairness.historyEmpty')}
                </Text>
              )}
              <Stack gap={4}>
                {(audits.data ?? []).slice(0, 12).map((a) => (
                  <UnstyledButton key={a.id} onClick={() => setAuditId(a.id)} data-testid="fairness-history-item" p={4} style={{ borderRadius: 6, background: a.id === auditId ? 'var(--mantine-color-default-hover)' : undefined }}>
                    <Text size="sm" lineClamp={1}>
                      {a.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      DPD {fixed(a.demographicParityDifference)} · EOD {fixed(a.equalizedOddsDifference)} · n={a.rows}
                    </Text>
                  </UnstyledButton>
                ))}
              </Stack>
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 8 }}>{audit.data ? <AuditView audit={audit.data} onOpen={setAuditId} /> : <EmptyResults />}</Grid.Col>
      </Grid>
    </Stack>
  );
}

function EmptyResults() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xl" radius="md">
      <Group gap="sm" c="dimmed">
        <IconScale size={22} />
        <Text c="dimmed">{t('ui.fairness.subtitle')}</Text>
      </Group>
    </Paper>
  );
}

/** Aequitas's fairness tree, cut down: punitive decisions watch false positives, assistive ones false negatives. */
function GuidancePanel() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'punitive' | 'assistive'>('assistive');
  const [parity, setParity] = useState<'yes' | 'no'>('no');
  const advice = parity === 'yes' ? t('ui.fairness.guide.parity') : kind === 'punitive' ? t('ui.fairness.guide.punitiveAdvice') : t('ui.fairness.guide.assistiveAdvice');
  return (
    <Paper withBorder p="md" radius="md" data-testid="fairness-guide">
      <Stack gap="xs">
        <Text fw={600}>{t('ui.fairness.guide.title')}</Text>
        <Text size="sm">{t('ui.fairness.guide.everyone')}</Text>
        <SegmentedControl size="xs" value={parity} onChange={(v) => setParity(v as 'yes' | 'no')} data={[{ value: 'no', label: t('ui.fairness.guide.no') }, { value: 'yes', label: t('ui.fairness.guide.yes') }]} />
        {parity === 'no' && (
          <>
            <Text size="sm">{t('ui.fairness.guide.question')}</Text>
            <SegmentedControl
              size="xs"
              fullWidth
              orientation="vertical"
              value={kind}
              onChange={(v) => setKind(v as 'punitive' | 'assistive')}
              data={[{ value: 'punitive', label: t('ui.fairness.guide.punitive') }, { value: 'assistive', label: t('ui.fairness.guide.assistive') }]}
              data-testid="fairness-guide-kind"
            />
          </>
        )}
        <Alert variant="light" color="blue" data-testid="fairness-guide-advice">
          <Text size="sm">{advice}</Text>
        </Alert>
      </Stack>
    </Paper>
  );
}

function AuditView({ audit, onOpen }: { audit: AuditRecord; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const scheme = useComputedColorScheme('light');
  const [metric, setMetric] = useState<GroupMetric>('selectionRate');
  const r = audit.result;
  const d = r.disparities;
  const hasCalibration = r.groups.some((g) => g.calibration);
  const metricName = (m: string) => t(`ui.fairness.metrics.${m}`);
  return (
    <Stack gap="md" data-testid="fairness-results">
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Text fw={600}>{audit.name}</Text>
            <Text size="sm" c="dimmed">
              {t('ui.fairness.rows', { rows: fmt.integer(audit.rows), excluded: fmt.integer(audit.excludedRows), positive: audit.positive })}
            </Text>
            <Text size="sm" c="dimmed">
              {t('ui.fairness.overall', { accuracy: fixed(r.overall.accuracy), selection: fixed(r.overall.selectionRate), base: fixed(r.overall.baseRate) })}
              {r.overall.brier !== null ? ` · ${t('ui.fairness.brier')} ${fixed(r.overall.brier)}` : ''}
            </Text>
          </div>
          <Group gap="xs">
            {audit.parentAuditId && (
              <Button variant="subtle" size="xs" onClick={() => onOpen(audit.parentAuditId!)}>
                {t('ui.fairness.mitigation.parent')}
              </Button>
            )}
            <ExportReportButton kind="fairness" subjectId={audit.id} fileStem={audit.name} size="xs" testId="fairness-export-report" />
          </Group>
        </Group>
      </Paper>

      {audit.mitigation && (
        <Alert color="teal" variant="light" title={t('ui.fairness.mitigation.title')} data-testid="fairness-before-after">
          {t('ui.fairness.mitigation.beforeAfter', {
            metric: `${t(`ui.fairness.mitigation.${audit.mitigation.method}`)} · ${t(`ui.fairness.mitigation.${audit.mitigation.constraint}`)}`,
            before: fixed(audit.mitigation.before.disparity),
            after: fixed(audit.mitigation.after.disparity),
            accBefore: fixed(audit.mitigation.before.accuracy),
            accAfter: fixed(audit.mitigation.after.accuracy),
          })}
        </Alert>
      )}

      <div>
        <Text fw={600} mb="xs">
          {t('ui.fairness.disparitiesTitle')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing="sm">
          {DISPARITY_METRICS.map((name) => {
            const value = d[name];
            const ci = d.ci?.[name];
            const isRatio = name.endsWith('Ratio');
            const verdict = isRatio && value !== null ? (value >= 0.8 ? 'pass' : 'fail') : null;
            return (
              <Paper key={name} withBorder p="sm" radius="md" data-testid={`disparity-${name}`}>
                <Group justify="space-between" gap={4} wrap="nowrap">
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {t(`ui.fairness.disparityNames.${name}`)}
                  </Text>
                  {verdict && (
                    <Badge size="xs" color={verdict === 'pass' ? 'teal' : 'red'}>
                      {t(`ui.fairness.${verdict}`)}
                    </Badge>
                  )}
                </Group>
                <Text fz={22} fw={700} data-testid="disparity-value">
                  {fixed(value)}
                </Text>
                {ci && (
                  <Text size="xs" c="dimmed">
                    {t('ui.fairness.ci', { low: fixed(ci.low), high: fixed(ci.high) })}
                  </Text>
                )}
                <Text size="xs" c="dimmed" mt={4}>
                  {t(`ui.fairness.disparityHints.${name}`)}
                </Text>
              </Paper>
            );
          })}
        </SimpleGrid>
        {r.settings.bootstrap > 0 && (
          <Text size="xs" c="dimmed" mt={6}>
            {t('ui.fairness.ciNote', { n: r.settings.bootstrap, seed: r.settings.seed })}
          </Text>
        )}
      </div>

      <Paper withBorder p="md" radius="md">
        <Text fw={600} mb={4}>
          {t('ui.fairness.groupsTitle', { n: r.groups.length })}
        </Text>
        <Text size="xs" c="dimmed" mb="xs">
          {t('ui.fairness.smallNote', { n: r.settings.minGroupSize })}
        </Text>
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover fz="xs" horizontalSpacing={6} data-testid="fairness-groups">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('ui.fairness.group')}</Table.Th>
                {(['n', 'baseRate', 'selectionRate', 'accuracy', 'tpr', 'fpr', 'ppv', 'di'] as const).map((m) => (
                  <Table.Th key={m} ta="right">
                    {metricName(m)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.groups.map((g) => {
                const di = d.disparateImpact[g.key];
                return (
                  <Table.Tr key={g.key} data-testid="fairness-group-row" data-small={g.small ? 'true' : 'false'}>
                    <Table.Td>
                      <Group gap={4} wrap="wrap" miw={180}>
                        <Text size="xs">{g.key}</Text>
                        {g.small && (
                          <Badge size="xs" color="orange" variant="light" style={{ flexShrink: 0 }} data-testid="small-badge">
                            {t('ui.fairness.smallBadge')}
                          </Badge>
                        )}
                        {g.reference && (
                          <Badge size="xs" variant="light" style={{ flexShrink: 0 }}>
                            {t('ui.fairness.referenceBadge')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td ta="right">{fmt.integer(g.n)}</Table.Td>
                    {(['baseRate', 'selectionRate', 'accuracy', 'tpr', 'fpr', 'ppv'] as const).map((m) => (
                      <Table.Td key={m} ta="right" title={g.ci?.[m] ? `${fixed(g.ci[m]!.low)} – ${fixed(g.ci[m]!.high)}` : undefined}>
                        {fixed(g[m])}
                      </Table.Td>
                    ))}
                    <Table.Td ta="right">
                      <Text size="xs" c={di?.verdict === 'fail' ? 'red' : di?.verdict === 'pass' ? 'teal' : 'dimmed'} fw={di?.verdict === 'fail' ? 600 : 400}>
                        {fixed(di?.ratio)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md">
          <Group justify="space-between" mb="xs">
            <Text fw={600}>{t('ui.fairness.metricChart')}</Text>
            <Select size="xs" w={160} data={GROUP_METRICS.map((m) => ({ value: m, label: metricName(m) }))} value={metric} onChange={(v) => v && setMetric(v as GroupMetric)} aria-label={t('ui.fairness.metric')} allowDeselect={false} />
          </Group>
          <EChart option={metricByGroupOption(r.groups, metric, scheme, { metric: metricName(metric), small: t('ui.fairness.smallBadge') })} height={Math.max(220, r.groups.length * 26 + 60)} data-testid="chart-metric" />
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Text fw={600} mb="xs">
            {t('ui.fairness.diChart')}
          </Text>
          <EChart option={disparateImpactOption(r.groups, d.disparateImpact, scheme, { axis: metricName('di'), fourFifths: t('ui.fairness.fourFifths') })} height={Math.max(220, r.groups.length * 26 + 60)} data-testid="chart-di" />
        </Paper>
        {hasCalibration && (
          <Paper withBorder p="md" radius="md">
            <Text fw={600} mb="xs">
              {t('ui.fairness.calibrationChart')}
            </Text>
            <EChart option={calibrationOption(r.groups, scheme, { predicted: t('ui.fairness.score'), observed: metricName('baseRate'), perfect: t('ui.fairness.perfect') })} height={300} data-testid="chart-calibration" />
          </Paper>
        )}
        {audit.tradeoff && (
          <Paper withBorder p="md" radius="md">
            <Text fw={600} mb="xs">
              {t('ui.fairness.tradeoffChart')}
            </Text>
            <EChart option={tradeoffOption(audit.tradeoff, scheme, { threshold: t('ui.fairness.threshold_'), accuracy: t('ui.fairness.accuracy'), disparity: t(`ui.fairness.mitigation.${audit.request.constraint}`) })} height={300} data-testid="chart-tradeoff" />
          </Paper>
        )}
      </SimpleGrid>

      <MitigationPanel audit={audit} onOpen={onOpen} />
    </Stack>
  );
}

/** Polls a job until it ends; its result, or its error thrown. */
async function jobOutcome(api: Api, jobId: string): Promise<unknown> {
  for (;;) {
    const job = await api.jobs.getJob({ jobId });
    if (job.state === 'succeeded') return job.result;
    if (!isActiveJob(job)) throw job.error ?? new Error(job.state);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

/** Reweighing → retrain the audited model's setup on the resampled version (Model studio) → re-audit as a child audit. */
function useReweighChain(audit: AuditRecord, onOpen: (id: string) => void) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    if (!audit.modelId) return;
    setBusy(true);
    setError(null);
    try {
      const reweighed = (await jobOutcome(api, (await api.fairness.reweigh({ auditId: audit.id, seed: 42 })).jobId)) as ReweighResult;
      const model = await api.training.getModel({ modelId: audit.modelId });
      const trained = (await jobOutcome(api, (await api.training.trainModel(retrainRequest(model, reweighed.versionId))).jobId)) as ModelRecord;
      const { auditId } = (await jobOutcome(api, (await api.fairness.audit({ ...audit.request, modelId: trained.id, parentAuditId: audit.id, name: undefined })).jobId)) as { auditId: string };
      void queryClient.invalidateQueries({ queryKey: AUDITS_KEY });
      onOpen(auditId);
    } catch (err) {
      setError(err && typeof err === 'object' && 'code' in err ? describeErrorInfo(err as Parameters<typeof describeErrorInfo>[0], t) : describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

function MitigationPanel({ audit, onOpen }: { audit: AuditRecord; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const [constraint, setConstraint] = useState<FairnessConstraint>('demographic_parity');
  const [tolerance, setTolerance] = useState(0.02);
  const run = useFairnessJob((result) => {
    void queryClient.invalidateQueries({ queryKey: AUDITS_KEY });
    onOpen(result.auditId);
  });
  const possible = Boolean(audit.request.score || audit.modelId);
  const reweigh = useReweighChain(audit, onOpen);
  return (
    <Paper withBorder p="md" radius="md" data-testid="fairness-mitigation">
      <Stack gap="sm">
        <Text fw={600}>{t('ui.fairness.mitigation.title')}</Text>
        <Text size="sm" c="dimmed">
          {t('ui.fairness.mitigation.text')}
        </Text>
        <Group align="flex-end">
          <Select
            label={t('ui.fairness.mitigation.constraint')}
            data={(['demographic_parity', 'equalized_odds'] as const).map((c) => ({ value: c, label: t(`ui.fairness.mitigation.${c}`) }))}
            value={constraint}
            onChange={(v) => v && setConstraint(v as FairnessConstraint)}
            allowDeselect={false}
            w={200}
            data-testid="mitigation-constraint"
          />
          <NumberInput label={t('ui.fairness.mitigation.tolerance')} value={tolerance} min={0} max={0.5} step={0.01} decimalScale={3} onChange={(v) => setTolerance(Number(v) || 0)} w={120} />
          <Button
            onClick={() => void run.start(() => api.fairness.mitigate({ auditId: audit.id, method: 'threshold', constraint, tolerance }))}
            disabled={!possible || run.busy}
            loading={run.busy}
            data-testid="run-mitigation"
          >
            {t('ui.fairness.mitigation.run')}
          </Button>
        </Group>
        {!possible && (
          <Text size="xs" c="dimmed">
            {t('ui.fairness.mitigation.needsScore')}
          </Text>
        )}
        {run.error && <Alert color="red">{run.error}</Alert>}
        <Text size="sm" c="dimmed" mt="xs">
          {t('ui.fairness.mitigation.reweighText')}
        </Text>
        <Group>
          <Button variant="light" onClick={() => void reweigh.run()} disabled={!audit.modelId || reweigh.busy} loading={reweigh.busy} data-testid="run-reweigh">
            {t('ui.fairness.mitigation.reweigh')}
          </Button>
          {reweigh.busy && (
            <Text size="xs" c="dimmed">
              {t('ui.fairness.mitigation.reweighSteps')}
            </Text>
          )}
          {!audit.modelId && (
            <Text size="xs" c="dimmed">
              {t('ui.fairness.mitigation.reweighNeedsModel')}
            </Text>
          )}
        </Group>
        {reweigh.error && <Alert color="red">{reweigh.error}</Alert>}
        {audit.mitigation && audit.mitigation.thresholds.length > 0 && (
          <>
            <Text size="sm" fw={600}>
              {t('ui.fairness.mitigation.thresholds')}
            </Text>
            <Group gap={6}>
              {audit.mitigation.thresholds.map((th) => (
                <Badge key={th.key} variant="outline" size="sm" tt="none">
                  {th.key}: {th.threshold > 1e300 ? '∞' : fixed(th.threshold)}
                </Badge>
              ))}
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}

/** Privacy × utility × fairness: the same model on the chosen version and each anonymised version of its dataset. */
function PrivacyPanel({ versionId, label, sensitive, positive }: { versionId: string | null; label: string | null; sensitive: string[]; positive: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const scheme = useComputedColorScheme('light');
  const [constraint, setConstraint] = useState<FairnessConstraint>('demographic_parity');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<PrivacyComparison | null>(null);
  const ready = Boolean(versionId && label && sensitive.length > 0) && !busy;
  const run = async () => {
    if (!versionId || !label) return;
    setBusy(true);
    setError(null);
    try {
      const { jobId } = await api.fairness.comparePrivacy({ versionId, target: label, sensitive, constraint, ...(positive ? { positive } : {}) });
      setResult((await jobOutcome(api, jobId)) as PrivacyComparison);
    } catch (err) {
      setError(err && typeof err === 'object' && 'code' in err ? describeErrorInfo(err as Parameters<typeof describeErrorInfo>[0], t) : describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" radius="md" data-testid="fairness-privacy">
      <Stack gap="xs">
        <Text fw={600}>{t('ui.fairness.privacy.title')}</Text>
        <Text size="sm" c="dimmed">
          {t('ui.fairness.privacy.text')}
        </Text>
        <Group align="flex-end">
          <Select
            size="xs"
            w={170}
            data={(['demographic_parity', 'equalized_odds'] as const).map((c) => ({ value: c, label: t(`ui.fairness.mitigation.${c}`) }))}
            value={constraint}
            onChange={(v) => v && setConstraint(v as FairnessConstraint)}
            allowDeselect={false}
            aria-label={t('ui.fairness.mitigation.constraint')}
          />
          <Button size="xs" variant="light" onClick={() => void run()} disabled={!ready} loading={busy} data-testid="run-privacy">
            {t('ui.fairness.privacy.run')}
          </Button>
        </Group>
        {error && <Alert color="red">{error}</Alert>}
        {result && (
          <>
            <Table fz="xs" data-testid="privacy-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('ui.fairness.privacy.version')}</Table.Th>
                  <Table.Th ta="right">{t('ui.fairness.accuracy')}</Table.Th>
                  <Table.Th ta="right">{t('ui.fairness.disparity')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.rows.map((r) => (
                  <Table.Tr key={r.versionId}>
                    <Table.Td>
                      v{r.number} · {r.operation}
                    </Table.Td>
                    <Table.Td ta="right">{fixed(r.accuracy)}</Table.Td>
                    <Table.Td ta="right" title={r.disparityCi ? `${fixed(r.disparityCi.low)} – ${fixed(r.disparityCi.high)}` : undefined}>
                      {fixed(r.disparity)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <EChart
              option={privacyFairnessOption(result.rows.map((r) => ({ label: `v${r.number} ${r.operation}`, accuracy: r.accuracy, disparity: r.disparity })), scheme, { accuracy: t('ui.fairness.accuracy'), disparity: t(`ui.fairness.mitigation.${result.constraint}`) })}
              height={200}
            />
          </>
        )}
      </Stack>
    </Paper>
  );
}
