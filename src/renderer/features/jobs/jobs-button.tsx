/** The header button that opens the jobs drawer, with a badge counting running jobs. */
import { ActionIcon, Indicator, Tooltip } from '@mantine/core';
import { IconListCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isActiveJob, useJobs } from '../../api/index.js';
import { useJobsPanel } from './jobs-panel.js';

export function JobsButton() {
  const { t } = useTranslation();
  const panel = useJobsPanel();
  const jobs = useJobs();
  const running = (jobs.data ?? []).filter(isActiveJob).length;
  return (
    <Tooltip label={`${t('ui.jobs.title')} (Ctrl+J)`}>
      <Indicator label={running} size={18} disabled={running === 0} color="blue" offset={4} processing={running > 0} data-testid="jobs-badge" data-running={running}>
        <ActionIcon variant="default" size="lg" onClick={panel.toggle} aria-label={t('ui.jobs.title')} data-testid="jobs-button">
          <IconListCheck size={18} />
        </ActionIcon>
      </Indicator>
    </Tooltip>
  );
}
