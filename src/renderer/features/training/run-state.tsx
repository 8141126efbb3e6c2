/** A training-area job's state under its button: the start error, or the job card with Cancel while it runs or failed. */
import { Alert, Button } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { describeErrorInfo } from '../../api/index.js';
import { JobCard } from '../../ui/job-card.js';
import type { JobRun } from './use-job-run.js';

export function RunState({ run, errorTestId }: { run: JobRun; errorTestId?: string }) {
  const { t } = useTranslation();
  return (
    <>
      {run.startError && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid={errorTestId}>
          {run.startError}
        </Alert>
      )}
      {run.job && run.job.state !== 'succeeded' && (
        <JobCard
          job={run.job}
          errorText={run.job.error ? describeErrorInfo(run.job.error, t) : undefined}
          actions={
            run.busy ? (
              <Button size="xs" variant="light" color="red" loading={run.cancelling} onClick={() => void run.cancel()}>
                {t('ui.jobs.cancel')}
              </Button>
            ) : undefined
          }
        />
      )}
    </>
  );
}
