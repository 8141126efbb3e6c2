/** Settings: language and theme (remembered on this machine), host facts, and the doctor's checks. */
import { Alert, Badge, Button, Card, Group, Loader, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconDeviceDesktop, IconMoon, IconStethoscope, IconSun } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/i18n/index.js';
import { describeError, useApi, useHost, useSystemInfo } from '../../api/index.js';
import { useLanguage, useTrainingBackend, type TrainingBackendPreference } from '../../ui/preferences.js';
import { BackendNameSchema } from '../../../shared/model/training.js';
import { keySegment } from '../../ui/i18n-keys.js';

export function SettingsPage() {
  const { t } = useTranslation();
  const [language, setLanguage] = useLanguage();
  const { colorScheme, setColorScheme } = useMantineColorScheme();

  return (
    <Stack gap="lg" maw={960} data-testid="settings-page">
      <div>
        <Title order={2}>{t('ui.settings.title')}</Title>
        <Text c="dimmed" size="sm" mt={4}>
          {t('ui.settings.subtitle')}
        </Text>
      </div>

      <Card withBorder radius="md" padding="lg">
        <Title order={4} mb="md">
          {t('ui.settings.appearance')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <Stack gap={6}>
            <Text size="sm" fw={600}>
              {t('ui.settings.language')}
            </Text>
            <SegmentedControl
              value={language}
              onChange={(v) => setLanguage(v as Language)}
              data={[
                { value: 'zh-CN', label: '中文' },
                { value: 'en', label: 'English' },
              ]}
              data-testid="settings-language"
            />
          </Stack>
          <Stack gap={6}>
            <Text size="sm" fw={600}>
              {t('ui.settings.theme')}
            </Text>
            <SegmentedControl
              value={colorScheme}
              onChange={(v) => setColorScheme(v as MantineColorScheme)}
              data={[
                { value: 'light', label: <ThemeLabel icon={<IconSun size={14} />} text={t('ui.settings.themes.light')} /> },
                { value: 'dark', label: <ThemeLabel icon={<IconMoon size={14} />} text={t('ui.settings.themes.dark')} /> },
                { value: 'auto', label: <ThemeLabel icon={<IconDeviceDesktop size={14} />} text={t('ui.settings.themes.auto')} /> },
              ]}
              data-testid="settings-theme"
            />
          </Stack>
        </SimpleGrid>
      </Card>

      <TrainingCard />
      <SystemInfoCard />
      <DoctorCard />
    </Stack>
  );
}

/** The training backend every run uses unless the run chooses another (the ladder's best when 'auto'). */
function TrainingCard() {
  const { t } = useTranslation();
  const [backend, setBackend] = useTrainingBackend();
  return (
    <Card withBorder radius="md" padding="lg">
      <Title order={4} mb="md">
        {t('ui.settings.training')}
      </Title>
      <Select
        label={t('ui.training.backend')}
        description={t('ui.settings.trainingBackendHint')}
        data={['auto', ...BackendNameSchema.options].map((b) => ({ value: b, label: t(`ui.training.backends.${b}`) }))}
        value={backend}
        allowDeselect={false}
        onChange={(v) => v && setBackend(v as TrainingBackendPreference)}
        maw={420}
        data-testid="settings-training-backend"
      />
    </Card>
  );
}

function ThemeLabel({ icon, text }: { icon: React.ReactNode; text: string }) {
  return (
    <Group gap={6} justify="center" wrap="nowrap">
      {icon}
      <span>{text}</span>
    </Group>
  );
}

function SystemInfoCard() {
  const { t } = useTranslation();
  const info = useSystemInfo();
  const host = useHost();
  const rows: [string, string][] = info.data
    ? [
        [t('ui.settings.info.appVersion'), info.data.appVersion],
        [t('ui.settings.info.host'), t(`ui.settings.hosts.${info.data.host}`)],
        [t('ui.settings.info.workspace'), info.data.workspace],
        [t('ui.settings.info.node'), info.data.nodeVersion],
        [t('ui.settings.info.platform'), info.data.platform],
        [t('ui.settings.info.transport'), t(`ui.settings.transports.${host.mode}`)],
      ]
    : [];
  return (
    <Card withBorder radius="md" padding="lg" data-testid="system-info">
      <Title order={4} mb="md">
        {t('ui.settings.system')}
      </Title>
      {info.isPending ? (
        <Loader size="sm" />
      ) : info.isError ? (
        <Alert color="red">{describeError(info.error, t)}</Alert>
      ) : (
        <Table variant="vertical" layout="fixed" withTableBorder>
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w={200}>{label}</Table.Th>
                <Table.Td style={{ wordBreak: 'break-all' }}>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function DoctorCard() {
  const { t } = useTranslation();
  const api = useApi();
  const doctor = useMutation({ mutationFn: () => api.system.runDoctor({}) });
  const checks = doctor.data?.checks ?? [];
  const failed = checks.filter((c) => !c.ok).length;
  return (
    <Card withBorder radius="md" padding="lg" data-testid="doctor">
      <Group justify="space-between" mb="md">
        <div>
          <Title order={4}>{t('ui.settings.doctor')}</Title>
          <Text size="sm" c="dimmed">
            {t('ui.settings.doctorText')}
          </Text>
        </div>
        <Button variant="light" leftSection={<IconStethoscope size={16} />} onClick={() => doctor.mutate()} loading={doctor.isPending} data-testid="run-doctor">
          {doctor.data ? t('ui.settings.runAgain') : t('ui.settings.runDoctor')}
        </Button>
      </Group>
      {doctor.isError && <Alert color="red">{describeError(doctor.error, t)}</Alert>}
      {doctor.data && (
        <Stack gap="xs">
          <Badge color={failed ? 'orange' : 'teal'} variant="light" size="lg">
            {failed ? t('ui.settings.doctorFailed', { count: failed, n: failed }) : t('ui.settings.doctorOk')}
          </Badge>
          <Table verticalSpacing="xs" data-testid="doctor-checks">
            <Table.Tbody>
              {checks.map((check) => (
                <Table.Tr key={check.id} data-check={check.id} data-ok={check.ok}>
                  <Table.Td w={32}>
                    {check.ok ? <IconCircleCheck size={18} color="var(--mantine-color-teal-filled)" /> : <IconCircleX size={18} color="var(--mantine-color-red-filled)" />}
                  </Table.Td>
                  <Table.Td w={220} fw={600}>
                    {t(`ui.settings.checks.${keySegment(check.id)}`, { defaultValue: check.id })}
                  </Table.Td>
                  <Table.Td c={check.ok ? undefined : 'red'} style={{ wordBreak: 'break-word' }}>
                    {t(`doctor.${check.reason}`, { ...check.params, defaultValue: check.detail })}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Card>
  );
}
