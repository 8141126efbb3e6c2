/** The application frame: header (name, connection, language, theme, jobs), navigation, and the routed page. */
import type { ReactNode } from 'react';
import { ActionIcon, Alert, AppShell, Burger, Button, Group, Menu, NavLink, ScrollArea, Stack, Text, ThemeIcon, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { IconBrain, IconCheck, IconDatabase, IconHistory, IconLanguage, IconMoon, IconPlugConnectedX, IconScale, IconSettings, IconSun, IconTable } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../shared/i18n/index.js';
import { useConnectionState, useLiveUpdates, useSystemInfo } from '../api/index.js';
import { AuditPage } from '../features/audit/index.js';
import { CatalogPage, useImport } from '../features/catalog/index.js';
import { DatasetPage } from '../features/dataset/index.js';
import { JobsButton, JobsDrawer, useJobNotifications, useJobsPanel } from '../features/jobs/index.js';
import { SettingsPage } from '../features/settings/index.js';
import { FairnessPage } from '../features/fairness/index.js';
import { ModelPage, ModelsPage, TrainPage } from '../features/training/index.js';
import { useLanguage } from '../ui/preferences.js';
import { routeHref, useRoute, type Route } from '../ui/routing.js';

const LANGUAGE_NAMES: Record<Language, string> = { 'zh-CN': '中文', en: 'English' };

function focusSearch(): void {
  const input = document.querySelector<HTMLInputElement>('[data-search-input]');
  if (input) {
    input.focus();
    input.select();
  }
}

export function Shell() {
  useLiveUpdates();
  useJobNotifications();
  const { t } = useTranslation();
  const route = useRoute();
  const [navOpened, nav] = useDisclosure(false);
  const importer = useImport();
  const jobsPanel = useJobsPanel();

  useHotkeys(
    [
      ['mod+I', () => importer.open()],
      ['mod+K', focusSearch],
      ['mod+J', () => jobsPanel.toggle()],
    ],
    [],
  );

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={t('ui.nav.toggle')} />
            <ThemeIcon size={32} radius="md" variant="gradient" gradient={{ from: 'indigo.5', to: 'indigo.8', deg: 135 }}>
              <IconTable size={18} />
            </ThemeIcon>
            <Text fw={700} size="lg" data-testid="app-name" style={{ letterSpacing: 0.2 }}>
              {t('ui.appName')}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <ConnectionBadge />
            <LanguageMenu />
            <ThemeToggle />
            <JobsButton />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm">
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={4}>
            <NavItem route={{ name: 'catalog' }} active={route.name === 'catalog' || route.name === 'dataset'} icon={<IconDatabase size={18} />} label={t('ui.nav.catalog')} onNavigate={nav.close} testId="nav-catalog" />
            <NavItem route={{ name: 'models' }} active={route.name === 'models' || route.name === 'model' || route.name === 'train'} icon={<IconBrain size={18} />} label={t('ui.nav.models')} onNavigate={nav.close} testId="nav-models" />
            <NavItem route={{ name: 'fairness' }} active={route.name === 'fairness'} icon={<IconScale size={18} />} label={t('ui.nav.fairness')} onNavigate={nav.close} testId="nav-fairness" />
            <NavItem route={{ name: 'audit' }} active={route.name === 'audit'} icon={<IconHistory size={18} />} label={t('ui.nav.audit')} onNavigate={nav.close} testId="nav-audit" />
            <NavItem route={{ name: 'settings' }} active={route.name === 'settings'} icon={<IconSettings size={18} />} label={t('ui.nav.settings')} onNavigate={nav.close} testId="nav-settings" />
          </Stack>
        </AppShell.Section>
        <AppShell.Section>
          <NavFooter />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <ConnectionBanner />
        <Page route={route} />
      </AppShell.Main>
      <JobsDrawer />
    </AppShell>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case 'catalog':
      return <CatalogPage />;
    case 'dataset':
      return <DatasetPage datasetId={route.datasetId} />;
    case 'train':
      return <TrainPage key={route.versionId ?? ''} versionId={route.versionId} />;
    case 'models':
      return <ModelsPage />;
    case 'model':
      return <ModelPage key={route.modelId} modelId={route.modelId} />;
    case 'audit':
      return <AuditPage />;
    case 'fairness':
      return <FairnessPage />;
    case 'settings':
      return <SettingsPage />;
  }
}

function NavItem({ route, active, icon, label, onNavigate, testId }: { route: Route; active: boolean; icon: ReactNode; label: string; onNavigate: () => void; testId: string }) {
  return <NavLink href={routeHref(route)} active={active} leftSection={icon} label={label} onClick={onNavigate} variant="light" style={{ borderRadius: 'var(--mantine-radius-md)' }} data-testid={testId} />;
}

function NavFooter() {
  const { t } = useTranslation();
  const info = useSystemInfo();
  return (
    <Stack gap={2} p="xs">
      <Text size="xs" c="dimmed">
        {t('ui.nav.offline')}
      </Text>
      {info.data && (
        <Text size="xs" c="dimmed">
          {t('ui.nav.version', { version: info.data.appVersion })}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('ui.nav.shortcuts')}
      </Text>
    </Stack>
  );
}

function LanguageMenu() {
  const { t } = useTranslation();
  const [language, setLanguage] = useLanguage();
  return (
    <Menu position="bottom-end" width={160} shadow="md">
      <Menu.Target>
        <Button variant="default" size="sm" leftSection={<IconLanguage size={16} />} aria-label={t('ui.settings.language')} data-testid="language-switch" px="sm">
          {LANGUAGE_NAMES[language]}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {LANGUAGES.map((lang) => (
          <Menu.Item key={lang} onClick={() => setLanguage(lang)} rightSection={lang === language ? <IconCheck size={14} /> : null} data-testid={`language-${lang}`}>
            {LANGUAGE_NAMES[lang]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function ThemeToggle() {
  const { t } = useTranslation();
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  const next = computed === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={t(next === 'dark' ? 'ui.theme.toDark' : 'ui.theme.toLight')}>
      <ActionIcon variant="default" size="lg" onClick={() => setColorScheme(next)} aria-label={t(next === 'dark' ? 'ui.theme.toDark' : 'ui.theme.toLight')} data-testid="theme-toggle" data-scheme={computed}>
        {computed === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}

function ConnectionBadge() {
  const { t } = useTranslation();
  const state = useConnectionState();
  if (state === 'open') return null;
  return (
    <Tooltip label={t(`ui.connection.${state}Hint`)}>
      <Group gap={4} c={state === 'unauthorized' ? 'red' : 'orange'} data-testid="connection-state" data-state={state}>
        <IconPlugConnectedX size={16} />
        <Text size="xs" fw={600} visibleFrom="md">
          {t(`ui.connection.${state}`)}
        </Text>
      </Group>
    </Tooltip>
  );
}

function ConnectionBanner() {
  const { t } = useTranslation();
  const state = useConnectionState();
  if (state === 'unauthorized') {
    return (
      <Alert color="red" mb="md" title={t('ui.connection.unauthorized')} data-testid="connection-banner">
        {t('errors.E_UNAUTHORIZED')}
      </Alert>
    );
  }
  if (state === 'reconnecting') {
    return (
      <Alert color="orange" mb="md" title={t('ui.connection.reconnecting')} data-testid="connection-banner">
        {t('ui.connection.reconnectingHint')}
      </Alert>
    );
  }
  return null;
}
