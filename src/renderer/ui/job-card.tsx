/** One job as a card: title, state, progress, counters, ETA, message, and its actions. */
import type { ReactNode } from 'react';
import { Badge, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Job, JobState } from '../../shared/model/jobs.js';
import { useFormat } from './format.js';

const STATE_COLORS: Record<JobState, string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'orange',
  interrupted: 'yellow',
};

export interface JobCardProps {
  job: Job;
  /** Localised error text for failed / cancelled / interrupted jobs. */
  errorText?: string | undefined;
  actions?: ReactNode;
}

export function JobCard({ job, errorText, actions }: JobCardProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const active = job.state === 'running' || job.state === 'queued';
  const rows = job.counters.rows;
  const bytes = job.counters.bytes;
  const totalBytes = job.counters.totalBytes;
  const skipped = job.counters.skippedRows;
  const counters: string[] = [];
  if (rows !== undefined) counters.push(t('ui.jobs.rowsCounter', { count: rows, n: fmt.integer(rows) }));
  if (bytes !== undefined) {
    counters.push(
      totalBytes !== undefined && active
        ? t('ui.jobs.bytesOfTotal', { done: fmt.megabytes(bytes), total: fmt.megabytes(totalBytes) })
        : fmt.megabytes(bytes),
    );
  }
  if (skipped) counters.push(t('ui.jobs.skippedCounter', { count: skipped, n: fmt.integer(skipped) }));

  return (
    <Paper withBorder p="sm" radius="md" data-testid="job-card" data-job-id={job.id} data-job-state={job.state}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text fw={600} size="sm" truncate="end" title={job.title} style={{ minWidth: 0 }}>
            {job.title}
          </Text>
          <Badge color={STATE_COLORS[job.state]} variant="light" size="sm" data-testid="job-state" style={{ flex: 'none' }}>
            {t(`ui.jobs.state.${job.state}`)}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {t(`ui.jobs.kind.${job.kind}`)} · {fmt.dateTime(job.createdAt)}
        </Text>
        {(active || job.state === 'succeeded') && (
          <Progress
            value={job.state === 'succeeded' ? 100 : job.progress * 100}
            striped={active}
            animated={job.state === 'running'}
            color={STATE_COLORS[job.state]}
            size="md"
            aria-label={t('ui.jobs.progress')}
            data-testid="job-progress"
          />
        )}
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed" data-testid="job-counters">
            {active && t('ui.jobs.percent', { percent: fmt.percent(job.progress) })}
            {active && counters.length > 0 && ' · '}
            {counters.join(' · ')}
          </Text>
          {job.state === 'running' && job.etaMs !== null && (
            <Text size="xs" c="dimmed" style={{ flex: 'none' }} data-testid="job-eta">
              {job.etaMs < 1500 ? t('ui.jobs.etaSoon') : t('ui.jobs.eta', { duration: fmt.duration(job.etaMs) })}
            </Text>
          )}
          {!active && job.startedAt && job.finishedAt && (
            <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
              {t('ui.jobs.took', { duration: fmt.duration(new Date(job.finishedAt).getTime() - new Date(job.startedAt).getTime()) })}
            </Text>
          )}
        </Group>
        {job.message && active && counters.length === 0 && (
          <Text size="xs" c="dimmed" truncate="end">
            {job.message}
          </Text>
        )}
        {errorText && (
          <Text size="xs" c={job.state === 'failed' ? 'red' : 'dimmed'} data-testid="job-error">
            {errorText}
          </Text>
        )}
        {actions && (
          <Group gap="xs" justify="flex-end">
            {actions}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
