/** The PII tab: per column the detected kind, confidence, masked examples and proposed role; opens the privacy wizard. */
import { Alert, Badge, Button, Group, Loader, Paper, Progress, ScrollArea, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconFingerprint, IconRefresh, IconShieldLock } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Version } from '../../../shared/model/catalog.js';
import type { ColumnRole } from '../../../shared/model/privacy.js';
import type { SensitivityClass } from '../../../shared/model/pii.js';
import { describeError, useApi } from '../../api/index.js';

const ROLE_COLORS: Record<ColumnRole, string> = { identifying: 'red', quasi: 'orange', sensitive: 'grape', insensitive: 'gray' };
const SENSITIVITY_COLORS: Record<SensitivityClass, string> = { public: 'green', internal: 'blue', confidential: 'orange', restricted: 'red' };

export const piiKeys = { findings: (versionId: string) => ['pii', 'findings', versionId] as const };

export function PiiPanel({ version, onOpenWizard }: { version: Version; onOpenWizard: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const stored = useQuery({ queryKey: piiKeys.findings(version.id), queryFn: () => api.pii.getFindings({ versionId: version.id }) });
  const detect = useMutation({
    mutationFn: () => api.pii.detect({ versionId: version.id }),
    onSuccess: (findings) => queryClient.setQueryData(piiKeys.findings(version.id), findings),
  });
  const findings = stored.data;

  if (stored.isPending) return <Loader size="sm" />;
  if (stored.isError) return <Alert color="red">{describeError(stored.error, t)}</Alert>;

  return (
    <Stack gap="sm" data-testid="pii-panel">
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm">
          <IconFingerprint size={20} />
          <Text fw={650}>{t('ui.pii.title')}</Text>
          {findings && (
            <Badge color={SENSITIVITY_COLORS[findings.suggestedSensitivity]} variant="light" data-testid="pii-sensitivity">
              {t('ui.pii.sensitivityLabel')}: {t(`ui.pii.sensitivity.${findings.suggestedSensitivity}`)}
            </Badge>
          )}
        </Group>
        <Group gap="xs">
          <Button
            variant={findings ? 'default' : 'filled'}
            leftSection={<IconRefresh size={16} />}
            loading={detect.isPending}
            onClick={() => detect.mutate()}
            data-testid="pii-detect"
          >
            {findings ? t('ui.pii.rescan') : t('ui.pii.detect')}
          </Button>
          {findings && (
            <Button leftSection={<IconShieldLock size={16} />} onClick={onOpenWizard} data-testid="pii-open-wizard">
              {t('ui.pii.openWizard')}
            </Button>
          )}
        </Group>
      </Group>
      {detect.isError && <Alert color="red">{describeError(detect.error, t)}</Alert>}
      {!findings ? (
        <Text c="dimmed" size="sm">
          {t('ui.pii.notScanned')}
        </Text>
      ) : (
        <>
          <Text size="xs" c="dimmed">
            {t('ui.pii.hint', { rows: findings.sampleSize })}
          </Text>
          <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
            <ScrollArea.Autosize mah="calc(100dvh - 380px)" type="auto">
              <Table verticalSpacing={6} stickyHeader striped data-testid="pii-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('ui.pii.column')}</Table.Th>
                    <Table.Th>{t('ui.pii.kind')}</Table.Th>
                    <Table.Th w={150}>{t('ui.pii.confidence')}</Table.Th>
                    <Table.Th>{t('ui.pii.examples')}</Table.Th>
                    <Table.Th>{t('ui.pii.role')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {findings.columns.map((c) => (
                    <Table.Tr key={c.name} data-testid="pii-row" data-column={c.name} data-kind={c.kind ?? ''} data-role={c.role}>
                      <Table.Td>
                        <Text size="sm" fw={550}>
                          {c.name}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {c.kind ? (
                          <Group gap={6} wrap="nowrap">
                            <Badge variant="light" color={c.freeText ? 'violet' : 'blue'}>
                              {t(`ui.pii.kinds.${c.kind}`)}
                            </Badge>
                            {c.freeText && (
                              <Text size="xs" c="dimmed">
                                {t('ui.pii.inText')}
                              </Text>
                            )}
                          </Group>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {t('ui.pii.none')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {c.kind && (
                          <Tooltip label={`${t('ui.pii.matched')}: ${Math.round(c.matchedShare * 100)}%`}>
                            <Group gap={6} wrap="nowrap">
                              <Progress value={c.confidence * 100} w={70} size="sm" color={c.confidence >= 0.9 ? 'red' : 'orange'} />
                              <Text size="xs" ff="monospace">
                                {c.confidence.toFixed(2)}
                              </Text>
                            </Group>
                          </Tooltip>
                        )}
                      </Table.Td>
                      <Table.Td maw={420}>
                        <Text size="xs" ff="monospace" truncate="end" data-testid="pii-examples">
                          {c.maskedExamples.slice(0, 3).join(' · ')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={ROLE_COLORS[c.role]} variant="dot">
                          {t(`ui.privacy.role.${c.role}`)}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Paper>
        </>
      )}
    </Stack>
  );
}
