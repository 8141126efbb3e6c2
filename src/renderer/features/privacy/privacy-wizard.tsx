/**
 * The privacy setup wizard over one version: roles → hierarchies → models → run (a job) → results, and a way to
 * open the anonymised version.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Modal, Stack, Stepper, Text } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconArrowRight, IconExternalLink, IconPlayerPlay, IconShieldLock } from '@tabler/icons-react';
import { getHotkeyHandler } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Version } from '../../../shared/model/catalog.js';
import { AnonymiseResultSchema, type HierarchySpec } from '../../../shared/model/privacy.js';
import { describeError, describeErrorInfo, isActiveJob, mergeJob, queryKeys, useApi, useJobs } from '../../api/index.js';
import { JobCard } from '../../ui/job-card.js';
import { HierarchyStep } from './hierarchy-step.js';
import { ModelsStep } from './models-step.js';
import { ResultsView } from './results-view.js';
import { ExportReportButton } from '../reports/index.js';
import { RolesStep } from './roles-step.js';
import { configFromDraft, draftFromConfig, problemsOf, type SetupDraft } from './setup.js';

export interface PrivacyWizardProps {
  opened: boolean;
  onClose: () => void;
  version: Version;
  datasetName: string;
  /** Shows a version of this dataset (the anonymised one) in the grid. */
  onOpenVersion: (versionId: string) => void;
}

export function PrivacyWizard({ opened, onClose, version, datasetName, onOpenVersion }: PrivacyWizardProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="min(1240px, 96vw)"
      centered
      title={
        <Group gap="xs">
          <IconShieldLock size={20} />
          <Text fw={650}>{t('ui.privacy.title', { name: datasetName, number: version.number })}</Text>
        </Group>
      }
      data-testid="privacy-wizard"
      closeOnClickOutside={false}
    >
      {opened && <WizardBody key={version.id} version={version} onOpenVersion={onOpenVersion} onClose={onClose} />}
    </Modal>
  );
}

function WizardBody({ version, onOpenVersion, onClose }: { version: Version; onOpenVersion: (id: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const suggestion = useQuery({
    queryKey: ['privacy', 'suggest', version.id],
    queryFn: () => api.privacy.suggestSetup({ versionId: version.id }),
    staleTime: Infinity,
    retry: false,
  });
  const [draft, setDraft] = useState<SetupDraft | null>(null);
  const [step, setStep] = useState(0);
  const [jobId, setJobId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  useEffect(() => {
    if (suggestion.data && !draft) setDraft(draftFromConfig(suggestion.data.config));
  }, [suggestion.data, draft]);

  // Every quasi-identifier's hierarchy is checked against the column's values before a run can start.
  const quasi = Object.entries(draft?.columns ?? {}).filter(([, c]) => c.role === 'quasi' && c.hierarchy) as [string, { hierarchy: HierarchySpec }][];
  const checks = useQueries({
    queries: quasi.map(([column, c]) => ({
      queryKey: ['privacy', 'previewHierarchy', version.id, column, c.hierarchy],
      queryFn: () => api.privacy.previewHierarchy({ versionId: version.id, column, hierarchy: c.hierarchy }),
      retry: false,
      staleTime: 60_000,
    })),
  });
  const uncovered = quasi
    .map(([column, c], i) => ({ column, hierarchy: c.hierarchy, missing: checks[i]?.data?.missing ?? [], failed: Boolean(checks[i]?.isError) }))
    .filter((x) => x.missing.length > 0 || x.failed);
  const checking = checks.some((q) => q.isFetching);

  const jobs = useJobs();
  const job = jobId ? (jobs.data ?? []).find((j) => j.id === jobId) : undefined;
  // The wizard shows how its job ended: no toast on top of it (it would cover the wizard's buttons).
  const finished = job && !isActiveJob(job) ? job.id : null;
  useEffect(() => {
    if (finished) notifications.hide(`job-${finished}`);
  }, [finished]);
  const result = useMemo(() => {
    if (!job || job.state !== 'succeeded') return null;
    const parsed = AnonymiseResultSchema.safeParse(job.result);
    return parsed.success ? parsed.data : null;
  }, [job]);

  if (suggestion.isPending || (!draft && !suggestion.isError)) {
    return (
      <Group justify="center" py="xl" gap="sm">
        <Loader size="sm" />
        <Text size="sm" c="dimmed">{t('ui.privacy.suggesting')}</Text>
      </Group>
    );
  }
  if (suggestion.isError || !draft) {
    return <Alert color="red" icon={<IconAlertTriangle size={18} />}>{describeError(suggestion.error, t)}</Alert>;
  }

  const problems = problemsOf(draft);
  const sensitive = Object.entries(draft.columns).filter(([, c]) => c.role === 'sensitive').map(([n]) => n);
  const running = Boolean(job && isActiveJob(job)) || starting;

  const run = async () => {
    setStarting(true);
    setStartError(null);
    try {
      const { jobId: id } = await api.privacy.anonymise({ versionId: version.id, config: configFromDraft(draft) });
      setJobId(id);
      setStep(3);
      // The event stream keeps it fresh; fetch once so the card shows at once.
      void api.jobs.getJob({ jobId: id }).then((j) => mergeJob(queryClient, j));
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs });
    } catch (err) {
      setStartError(describeError(err, t));
    } finally {
      setStarting(false);
    }
  };

  const raiseSuppression = () => {
    setDraft({ ...draft, models: { ...draft.models, suppressionLimit: Math.max(5, Math.min(100, draft.models.suppressionLimit * 2 || 5)) } });
    setJobId(null);
    setStep(2);
  };

  const addUncovered = () => {
    const columns = { ...draft.columns };
    for (const u of uncovered) {
      if (!('rows' in u.hierarchy) || u.missing.length === 0) continue;
      const width = u.hierarchy.rows[0]?.length ?? 2;
      const added = u.missing.map((v) => [v, ...Array.from({ length: width - 2 }, () => v), '*']);
      columns[u.column] = { ...columns[u.column]!, hierarchy: { rows: [...u.hierarchy.rows, ...added] } };
    }
    setDraft({ ...draft, columns });
  };

  const next = () => setStep((s) => Math.min(3, s + 1));
  const back = () => setStep((s) => Math.max(0, s - 1));
  const canRun = problems.length === 0 && uncovered.length === 0 && !checking && !running;
  const openResult = () => {
    if (!result) return;
    onOpenVersion(result.versionId);
    onClose();
  };
  // Ctrl+Enter (⌘+Enter): the step's main action — next, run, or open the result.
  const primary = () => {
    if (result) openResult();
    else if (step < 3) next();
    else if (canRun) void run();
  };

  return (
    <Stack gap="md" onKeyDown={getHotkeyHandler([['mod+Enter', primary]])}>
      <Stepper active={step} onStepClick={(s) => !running && setStep(s)} size="sm" allowNextStepsSelect={!running} data-testid="privacy-stepper">
        <Stepper.Step label={t('ui.privacy.steps.roles')} description={t('ui.privacy.steps.rolesHint')} data-testid="privacy-step-roles">
          <RolesStep
            columns={version.columns}
            drafts={draft.columns}
            reasons={suggestion.data.reasons}
            onChange={(column, c) => {
              const prev = draft.columns[column];
              // A column that becomes a quasi-identifier keeps a suggested hierarchy when it had one.
              const suggested = suggestion.data.config.columns[column]?.hierarchy;
              const hierarchy = c.role === 'quasi' ? (c.hierarchy ?? prev?.hierarchy ?? suggested ?? defaultHierarchy(version, column)) : c.hierarchy;
              setDraft({ ...draft, columns: { ...draft.columns, [column]: { ...c, hierarchy } } });
            }}
          />
        </Stepper.Step>
        <Stepper.Step label={t('ui.privacy.steps.hierarchies')} description={t('ui.privacy.steps.hierarchiesHint')} data-testid="privacy-step-hierarchies">
          <HierarchyStep
            versionId={version.id}
            columns={version.columns}
            drafts={draft.columns}
            onChange={(column, hierarchy) => setDraft({ ...draft, columns: { ...draft.columns, [column]: { ...draft.columns[column]!, hierarchy } } })}
          />
        </Stepper.Step>
        <Stepper.Step label={t('ui.privacy.steps.models')} description={t('ui.privacy.steps.modelsHint')} data-testid="privacy-step-models">
          <ModelsStep models={draft.models} sensitive={sensitive} columns={version.columns.map((c) => c.name)} onChange={(models) => setDraft({ ...draft, models })} />
        </Stepper.Step>
        <Stepper.Step label={t('ui.privacy.steps.run')} description={t('ui.privacy.steps.runHint')} loading={running} data-testid="privacy-step-run">
          <Stack gap="md">
            {!jobId && <RunSummary draft={draft} />}
            {job && (
              <JobCard
                job={job}
                errorText={job.error && job.error.code !== 'E_PRIVACY_UNSATISFIABLE' ? describeErrorInfo(job.error, t) : undefined}
                actions={
                  job.state === 'failed' && job.error?.code === 'E_PRIVACY_UNSATISFIABLE' ? (
                    <Button size="xs" variant="light" onClick={raiseSuppression} data-testid="privacy-raise-suppression">
                      {t('ui.privacy.run.raiseSuppression')}
                    </Button>
                  ) : undefined
                }
              />
            )}
            {job && job.state === 'failed' && job.error?.code === 'E_PRIVACY_UNSATISFIABLE' && (
              <Alert color="orange" icon={<IconAlertTriangle size={18} />} data-testid="privacy-conflict">
                {t('ui.privacy.run.conflictHint', { limit: draft.models.suppressionLimit })}
              </Alert>
            )}
            {result && (
              <Group justify="flex-end">
                <ExportReportButton kind="certificate" subjectId={result.versionId} fileStem={`v${version.number}`} label={t('ui.reports.exportCertificate')} testId="privacy-export-certificate" />
              </Group>
            )}
            {result && <ResultsView result={result} />}
          </Stack>
        </Stepper.Step>
      </Stepper>

      {/* Problems and the step buttons stay in view while the step above scrolls. */}
      <Stack
        gap="sm"
        pt="sm"
        pb="md"
        mb="-md"
        style={{ position: 'sticky', bottom: 0, zIndex: 3, background: 'var(--mantine-color-body)', borderTop: '1px solid var(--mantine-color-default-border)' }}
      >
        {startError && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="privacy-start-error">
            {startError}
          </Alert>
        )}
        {uncovered.length > 0 && step >= 1 && !result && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="privacy-uncovered">
            <Group justify="space-between" gap="xs">
              <Text size="sm">{t('ui.privacy.problems.uncovered', { columns: uncovered.map((u) => u.column).join(', '), count: uncovered.length })}</Text>
              {uncovered.some((u) => 'rows' in u.hierarchy && u.missing.length > 0) && (
                <Button size="compact-sm" variant="light" color="red" onClick={addUncovered} data-testid="privacy-add-uncovered">
                  {t('ui.privacy.problems.addUncovered')}
                </Button>
              )}
            </Group>
          </Alert>
        )}
        {problems.length > 0 && step >= 1 && (
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} data-testid="privacy-problems">
            {problems.map((p) => t(`ui.privacy.problems.${p.key}`, { column: p.column })).join(' ')}
          </Alert>
        )}

        <Group justify="space-between">
          <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={back} disabled={step === 0 || running} data-testid="privacy-back">
            {t('ui.privacy.back')}
          </Button>
          <Group gap="xs">
            {step < 2 && (
              <Button rightSection={<IconArrowRight size={16} />} onClick={next} data-testid="privacy-next">
                {t('ui.privacy.next')}
              </Button>
            )}
            {step === 2 && (
              <Button rightSection={<IconArrowRight size={16} />} onClick={next} data-testid="privacy-next">
                {t('ui.privacy.review')}
              </Button>
            )}
            {result ? (
              <Button
                leftSection={<IconExternalLink size={16} />}
                onClick={openResult}
                data-testid="privacy-open-version"
              >
                {t('ui.privacy.openVersion')}
              </Button>
            ) : (
              step === 3 && (
                <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => void run()} loading={running} disabled={!canRun && !running} data-testid="privacy-run">
                  {jobId ? t('ui.privacy.runAgain') : t('ui.privacy.run.start')}
                </Button>
              )
            )}
          </Group>
        </Group>
      </Stack>
    </Stack>
  );
}

function defaultHierarchy(version: Version, column: string) {
  const type = version.columns.find((c) => c.name === column)?.type;
  if (type === 'integer' || type === 'real') return { interval: { widths: [10, 20, 40] } };
  if (type === 'date' || type === 'datetime') return { date: true as const };
  // A text column: start from an empty table; the editor lists the values it does not cover yet.
  return { rows: [['', '*']] };
}

function RunSummary({ draft }: { draft: SetupDraft }) {
  const { t } = useTranslation();
  const config = configFromDraft(draft);
  const byRole = (role: string) => Object.entries(config.columns).filter(([, c]) => c.role === role).map(([n]) => n);
  return (
    <Stack gap="xs" data-testid="privacy-summary">
      {(['identifying', 'quasi', 'sensitive'] as const).map((role) => (
        <Group key={role} gap="xs" align="flex-start" wrap="nowrap">
          <Text size="sm" c="dimmed" w={170} style={{ flex: 'none' }}>
            {t(`ui.privacy.role.${role}`)}
          </Text>
          <Group gap={4}>
            {byRole(role).length === 0 ? (
              <Text size="sm" c="dimmed">—</Text>
            ) : (
              byRole(role).map((n) => (
                <Badge key={n} variant="light" tt="none" color={role === 'identifying' ? 'red' : role === 'quasi' ? 'orange' : 'grape'}>
                  {n}
                </Badge>
              ))
            )}
          </Group>
        </Group>
      ))}
      <Group gap="xs" wrap="nowrap">
        <Text size="sm" c="dimmed" w={170} style={{ flex: 'none' }}>
          {t('ui.privacy.models.title')}
        </Text>
        <Text size="sm">
          {config.models.map((m) => (m.model === 'k-anonymity' ? `${m.k}-anonymity` : m.model === 'l-diversity' ? `${m.variant} ${m.l}-diversity (${m.column})` : `${m.t}-closeness (${m.column})`)).join(' · ')}
          {' · '}
          {t('ui.privacy.models.suppressionShort', { limit: config.suppressionLimit })} · {t(`ui.privacy.metric.${config.metric}`)} · {t(`ui.privacy.algorithm.${config.algorithm}`)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">{t('ui.privacy.run.hint')}</Text>
    </Stack>
  );
}
