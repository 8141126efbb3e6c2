/** The jobs drawer: every job, newest first, running ones on top, each with its progress and actions. */
import { useState } from 'react';
import { Button, Drawer, EmptyState, Loader, Stack, Text, Alert } from '@mantine/core';
import { IconExternalLink, IconListCheck, IconPlayerStop } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../../shared/model/jobs.js';
import { describeError, describeErrorInfo, isActiveJob, mergeJob, useApi, useJobs } from '../../api/index.js';
import { JobCard } from '../../ui/job-card.js';
import { navigate } from '../../ui/routing.js';
import { notifyError } from '../../ui/notify.js';
import { useJobsPanel } from './jobs-panel.js';
import { anonymiseResultOf, importResultOf } from './job-result.js';

export function sortJobs(jobs: readonly Job[]): Job[] {
  return [...jobs].sort((a, b) => {
    const active = Number(isActiveJob(b)) - Number(isActiveJob(a));
    return active !== 0 ? active : b.createdAt.localeCompare(a.createdAt);
  });
}

export function JobsDrawer() {
  const { t } = useTranslation();
  const panel = useJobsPanel();
  const jobs = useJobs();
  const list = sortJobs(jobs.data ?? []);

  return (
    <Drawer
      opened={panel.opened}
      onClose={panel.close}
      position="right"
      size="md"
      title={<Text fw={650}>{t('ui.jobs.title')}</Text>}
      data-testid="jobs-drawer"
      overlayProps={{ backgroundOpacity: 0.15 }}
    >
      {jobs.isPending ? (
        <Loader size="sm" />
      ) : jobs.isError ? (
        <Alert color="red">{describeError(jobs.error, t)}</Alert>
      ) : list.length === 0 ? (
        <EmptyState icon={<IconListCheck size={28} />} title={t('ui.jobs.emptyTitle')} description={t('ui.jobs.emptyText')} withIndicatorBackground mt="xl" />
      ) : (
        <Stack gap="sm" data-testid="jobs-list">
          {list.map((job) => (
            <JobItem key={job.id} job={job} onOpen={panel.close} />
          ))}
        </Stack>
      )}
    </Drawer>
  );
}

function JobItem({ job, onOpen }: { job: Job; onOpen: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const [cancelling, setCancelling] = useState(false);
  const result = importResultOf(job) ?? anonymiseResultOf(job);
  const errorText = job.error ? describeErrorInfo(job.error, t) : undefined;

  const cancel = async () => {
    setCancelling(true);
    try {
      mergeJob(queryClient, await api.jobs.cancelJob({ jobId: job.id }));
    } catch (err) {
      notifyError(t('ui.jobs.cancelFailed'), describeError(err, t));
    } finally {
      setCancelling(false);
    }
  };

  return (
    <JobCard
      job={job}
      errorText={errorText}
      actions={
        isActiveJob(job) ? (
          <Button size="xs" variant="light" color="red" leftSection={<IconPlayerStop size={14} />} loading={cancelling} onClick={cancel} data-testid="job-cancel">
            {t('ui.jobs.cancel')}
          </Button>
        ) : result ? (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconExternalLink size={14} />}
            onClick={() => {
              navigate({ name: 'dataset', datasetId: result.datasetId });
              notifications.hide(`job-${job.id}`);
              onOpen();
            }}
            data-testid="job-open-dataset"
          >
            {t('ui.jobs.openDataset')}
          </Button>
        ) : null
      }
    />
  );
}
