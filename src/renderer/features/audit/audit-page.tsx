/** The tamper-evident audit log: entries, newest last as stored, paged; and a check of the hash chain. */
import { useState } from 'react';
import { Alert, Button, Code, Group, Modal, Pagination, Paper, Skeleton, Stack, Table, Text, Title, Tooltip, EmptyState } from '@mantine/core';
import { IconAlertTriangle, IconHistory, IconShieldCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../shared/model/audit.js';
import { describeError, useApi, useAuditEntries } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { keySegment } from '../../ui/i18n-keys.js';

const PAGE_SIZE = 50;

export function shortHash(hash: string): string {
  return hash.replace(/^sha256:/, '').slice(0, 12);
}

export function AuditPage() {
  const { t } = useTranslation();
  const api = useApi();
  const fmt = useFormat();
  const [page, setPage] = useState(1);
  const [detail, setDetail] = useState<AuditEntry | null>(null);
  const entries = useAuditEntries((page - 1) * PAGE_SIZE, PAGE_SIZE);
  const verify = useMutation({ mutationFn: () => api.audit.verifyChain({}) });
  const total = entries.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack gap="lg" data-testid="audit-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('ui.audit.title')}</Title>
          <Text c="dimmed" size="sm" mt={4}>
            {t('ui.audit.subtitle')}
          </Text>
        </div>
        <Button leftSection={<IconShieldCheck size={18} />} onClick={() => verify.mutate()} loading={verify.isPending} data-testid="verify-chain">
          {t('ui.audit.verify')}
        </Button>
      </Group>

      {verify.isError && <Alert color="red">{describeError(verify.error, t)}</Alert>}
      {verify.data &&
        (verify.data.ok ? (
          <Alert color="teal" icon={<IconShieldCheck size={18} />} title={t('ui.audit.chainOk')} data-testid="verify-result" data-ok="true" withCloseButton onClose={() => verify.reset()}>
            {t('ui.audit.chainOkText', { count: verify.data.entries, n: fmt.integer(verify.data.entries) })}
          </Alert>
        ) : (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('ui.audit.chainBroken')} data-testid="verify-result" data-ok="false" withCloseButton onClose={() => verify.reset()}>
            {t('ui.audit.chainBrokenText', { seq: verify.data.brokenAt ?? '?', n: fmt.integer(verify.data.entries), count: verify.data.entries })}
          </Alert>
        ))}

      {entries.isError ? (
        <Alert color="red">{describeError(entries.error, t)}</Alert>
      ) : entries.isPending ? (
        <Stack gap="xs">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={36} />
          ))}
        </Stack>
      ) : total === 0 ? (
        <Paper withBorder radius="md" py={56}>
          <EmptyState icon={<IconHistory size={28} />} withIndicatorBackground title={t('ui.audit.emptyTitle')} description={t('ui.audit.emptyText')} />
        </Paper>
      ) : (
        <>
          <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
            <Table highlightOnHover verticalSpacing="xs" striped="even" data-testid="audit-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th ta="right" w={80}>
                    {t('ui.audit.columns.seq')}
                  </Table.Th>
                  <Table.Th>{t('ui.audit.columns.time')}</Table.Th>
                  <Table.Th>{t('ui.audit.columns.actor')}</Table.Th>
                  <Table.Th>{t('ui.audit.columns.action')}</Table.Th>
                  <Table.Th>{t('ui.audit.columns.target')}</Table.Th>
                  <Table.Th>{t('ui.audit.columns.hash')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.data.entries.map((entry) => (
                  <Table.Tr key={entry.seq} onClick={() => setDetail(entry)} style={{ cursor: 'pointer' }} data-testid="audit-row" data-seq={entry.seq} data-action={entry.action}>
                    <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                      {entry.seq}
                    </Table.Td>
                    <Table.Td>{fmt.dateTime(entry.ts)}</Table.Td>
                    <Table.Td>{entry.actor}</Table.Td>
                    <Table.Td>
                      <Tooltip label={entry.action}>
                        <Text size="sm" span>
                          {t(`ui.audit.actions.${keySegment(entry.action)}`, { defaultValue: entry.action })}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace" c={entry.target ? undefined : 'dimmed'} truncate="end" maw={260}>
                        {entry.target ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace" title={entry.hash}>
                        {shortHash(entry.hash)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {t('ui.audit.count', { count: total, n: fmt.integer(total) })}
            </Text>
            {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm" data-testid="audit-pagination" />}
          </Group>
        </>
      )}

      <Modal opened={detail !== null} onClose={() => setDetail(null)} size="lg" title={<Text fw={650}>{t('ui.audit.entryTitle', { seq: detail?.seq ?? '' })}</Text>}>
        {detail && (
          <Stack gap="xs">
            <Text size="sm">
              <b>{t('ui.audit.columns.action')}:</b> <Code>{detail.action}</Code>
            </Text>
            <Text size="sm">
              <b>{t('ui.audit.columns.time')}:</b> {fmt.dateTime(detail.ts)} <Code>{detail.ts}</Code>
            </Text>
            <Text size="sm">
              <b>{t('ui.audit.prevHash')}:</b> <Code style={{ wordBreak: 'break-all' }}>{detail.prevHash}</Code>
            </Text>
            <Text size="sm">
              <b>{t('ui.audit.columns.hash')}:</b> <Code style={{ wordBreak: 'break-all' }}>{detail.hash}</Code>
            </Text>
            <Text size="sm" fw={700}>
              {t('ui.audit.details')}
            </Text>
            <Code block>{JSON.stringify(detail.details, null, 2)}</Code>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
