/**
 * "Export PDF": makes a report (a job in the main process), then saves it — a Save dialog in the desktop app, a
 * download in browser mode. The menu offers the report in Chinese or English, whatever the UI's language.
 */
import { useState } from 'react';
import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconFileTypePdf } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Api } from '../../../shared/contract/index.js';
import type { Job } from '../../../shared/model/jobs.js';
import { TERMINAL_JOB_STATES } from '../../../shared/model/jobs.js';
import type { ReportKind, ReportRecord } from '../../../shared/model/reports.js';
import { describeError, useApi, useHost } from '../../api/index.js';
import { notifyError, notifyInfo, notifySuccess } from '../../ui/notify.js';

type ReportLanguage = 'zh-CN' | 'en';

export interface ExportReportButtonProps {
  kind: ReportKind;
  subjectId: string;
  /** Used in the suggested file name (e.g. the model's or dataset's name). */
  fileStem: string;
  label?: string;
  size?: 'xs' | 'sm';
  variant?: 'default' | 'light' | 'subtle';
  testId?: string;
  /** E.g. while the subject is still changing (a scenario's what-if being recomputed). */
  disabled?: boolean;
}

/** Resolves when the job ends (an event or, should one be missed, a poll). */
function waitForJob(api: Api, jobId: string): Promise<Job> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (job: Job) => {
      if (done || !TERMINAL_JOB_STATES.includes(job.state)) return;
      done = true;
      unsubscribe();
      clearInterval(timer);
      resolve(job);
    };
    const unsubscribe = api.jobs.onDidUpdate((job) => {
      if (job.id === jobId) finish(job);
    });
    const timer = setInterval(() => void api.jobs.getJob({ jobId }).then(finish, () => undefined), 1500);
  });
}

export function ExportReportButton({ kind, subjectId, fileStem, label, size = 'sm', variant = 'default', testId = 'report-export', disabled = false }: ExportReportButtonProps) {
  const { t } = useTranslation();
  const api = useApi();
  const host = useHost();
  const [busy, setBusy] = useState(false);

  const run = async (lang: ReportLanguage) => {
    setBusy(true);
    try {
      const { jobId } = await api.reports.generate({ kind, subjectId, lang });
      const job = await waitForJob(api, jobId);
      // This button says how it went: the jobs feature's generic toast for the same job would repeat it.
      notifications.hide(`job-${jobId}`);
      if (job.state !== 'succeeded') throw job.error ?? new Error(job.state);
      const record = job.result as ReportRecord;
      const safeStem = fileStem.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80);
      const saved = await host.saveReport(record.id, `${safeStem}-${kind}-${lang}.pdf`);
      if (saved?.path) notifySuccess(t('ui.reports.saved'), t('ui.reports.savedTo', { pages: record.pages, path: saved.path }));
      else if (saved) notifyInfo(t('ui.reports.downloaded'), t('ui.reports.downloadedText', { pages: record.pages }));
    } catch (err) {
      notifyError(t('ui.reports.failed'), describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant={variant} size={size} loading={busy} disabled={disabled} leftSection={<IconFileTypePdf size={16} />} rightSection={<IconChevronDown size={14} />} data-testid={testId}>
          {label ?? t('ui.reports.exportPdf')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('ui.reports.language')}</Menu.Label>
        <Menu.Item onClick={() => void run('zh-CN')} data-testid={`${testId}-zh-CN`}>
          简体中文
        </Menu.Item>
        <Menu.Item onClick={() => void run('en')} data-testid={`${testId}-en`}>
          English
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
