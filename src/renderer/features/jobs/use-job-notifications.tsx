/** Tells the user when a job they started finishes: success (with a way to open the result), failure, cancel. */
import { useEffect, useRef } from 'react';
import { Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../../shared/model/jobs.js';
import { describeErrorInfo, isActiveJob, useApi } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { navigate } from '../../ui/routing.js';
import { anonymiseResultOf, importResultOf } from './job-result.js';

/** A train or compress job's new model id, when its result has one. */
function trainedModelOf(job: Job): string | null {
  if (job.kind !== 'train' && job.kind !== 'compress') return null;
  const result = job.result as { id?: unknown; modelId?: unknown } | null;
  const id = job.kind === 'train' ? result?.id : result?.modelId;
  return typeof id === 'string' ? id : null;
}

export function useJobNotifications(): void {
  const api = useApi();
  const { t } = useTranslation();
  const fmt = useFormat();
  const told = useRef(new Set<string>());
  // Keep the latest translator without resubscribing on every language change.
  const latest = useRef({ t, fmt });
  latest.current = { t, fmt };

  useEffect(
    () =>
      api.jobs.onDidUpdate((job) => {
        if (isActiveJob(job) || told.current.has(job.id)) return;
        told.current.add(job.id);
        const { t, fmt } = latest.current;
        const id = `job-${job.id}`;
        const anonymised = anonymiseResultOf(job);
        if (anonymised) {
          notifications.show({
            id,
            color: 'teal',
            withBorder: true,
            autoClose: 8_000,
            title: t('ui.jobs.notify.anonymised', { title: job.title }),
            message: t('ui.jobs.notify.anonymisedText', {
              rows: fmt.integer(anonymised.rowCount),
              suppressed: fmt.integer(anonymised.suppressedRows),
              risk: fmt.percent(anonymised.risk.after.prosecutorMax),
              count: anonymised.rowCount,
            }),
          });
        } else if (job.state === 'succeeded') {
          const result = importResultOf(job);
          const modelId = trainedModelOf(job);
          notifications.show({
            id,
            color: 'teal',
            withBorder: true,
            autoClose: 12_000,
            // Only imports are "imported"; other kinds (train, score, explain, compress) just finished.
            title: t(job.kind === 'import' ? 'ui.jobs.notify.succeeded' : 'ui.jobs.notify.finished', { title: job.title }),
            message: modelId ? (
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => {
                  navigate({ name: 'model', modelId });
                  notifications.hide(id);
                }}
                data-testid="notification-open-model"
              >
                {t('ui.jobs.openModel')}
              </Button>
            ) : result ? (
              <Stack gap={6} align="flex-start">
                <Text size="sm">
                  {t('ui.jobs.notify.imported', {
                    rows: fmt.integer(result.rowCount),
                    columns: fmt.integer(result.columns.length),
                    count: result.rowCount,
                  })}
                  {result.skippedRows > 0 && ` ${t('ui.jobs.skippedCounter', { count: result.skippedRows, n: fmt.integer(result.skippedRows) })}`}
                </Text>
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={() => {
                    navigate({ name: 'dataset', datasetId: result.datasetId });
                    notifications.hide(id);
                  }}
                  data-testid="notification-open-dataset"
                >
                  {t('ui.jobs.openDataset')}
                </Button>
              </Stack>
            ) : null,
          });
        } else if (job.state === 'cancelled') {
          notifications.show({ id, color: 'orange', withBorder: true, title: t('ui.jobs.notify.cancelled', { title: job.title }), message: t('errors.E_CANCELLED') });
        } else {
          notifications.show({
            id,
            color: 'red',
            withBorder: true,
            autoClose: false,
            title: t('ui.jobs.notify.failed', { title: job.title }),
            message: job.error ? describeErrorInfo(job.error, t) : t(`ui.jobs.state.${job.state}`),
          });
        }
      }),
    [api],
  );
}
