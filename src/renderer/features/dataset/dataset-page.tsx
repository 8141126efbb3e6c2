/** One dataset: its name (renamable), versions, schema, rows, export and delete. */
import { ConfirmDeleteDialog } from '../../ui/confirm-delete-dialog.js';
import { useEffect, useState } from 'react';
import {
  ActionIcon, Alert, Anchor, Badge, Breadcrumbs, Button, Group, Loader, Select, Stack, Tabs, Text, TextInput, Title, Tooltip, EmptyState,
} from '@mantine/core';
import { IconChartBar, IconCheck, IconColumns, IconInfoCircle, IconDatabaseOff, IconDownload, IconFingerprint, IconHistory, IconPencil, IconShieldLock, IconTable, IconTags, IconTrash, IconX, IconWand, IconHierarchy } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DatasetDetail, Version } from '../../../shared/model/catalog.js';
import { XinzhiError } from '../../../shared/model/errors.js';
import { describeError, queryKeys, useApi, useDataset, useHost } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { keySegment } from '../../ui/i18n-keys.js';
import { navigate, routeHref } from '../../ui/routing.js';
import { notifyError, notifyInfo, notifySuccess } from '../../ui/notify.js';
import { PrivacyWizard } from '../privacy/index.js';
import { CleanPanel, LineagePanel } from '../cleaning/index.js';
import { ExportReportButton } from '../reports/index.js';
import { QualityPanel } from '../quality/index.js';
import { AboutPanel } from '../catalog-metadata/index.js';
import { LabelingPanel, PiiPanel } from '../pii-labeling/index.js';
import { DataView } from './data-view.js';
import { SchemaTable, VersionsTable, HashText } from './version-tables.js';

type Tab = 'data' | 'schema' | 'versions' | 'privacy' | 'clean' | 'lineage' | 'quality' | 'about' | 'pii' | 'labeling';

export function DatasetPage({ datasetId }: { datasetId: string }) {
  const { t } = useTranslation();
  const dataset = useDataset(datasetId);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('data');
  // The wizard stays on the version it was opened for, even when its run adds a newer one.
  const [privacyFor, setPrivacyFor] = useState<string | null>(null);
  useEffect(() => {
    setSelectedId(null);
    setTab('data');
    setPrivacyFor(null);
  }, [datasetId]);

  if (dataset.isPending) {
    return (
      <Group justify="center" py="xl">
        <Loader />
      </Group>
    );
  }
  if (dataset.isError) {
    const notFound = dataset.error instanceof XinzhiError && dataset.error.code === 'E_NOT_FOUND';
    return (
      <Stack py="xl" align="center">
        <EmptyState
          icon={<IconDatabaseOff size={28} />}
          withIndicatorBackground
          title={notFound ? t('ui.dataset.notFoundTitle') : t('ui.dataset.loadFailed')}
          description={describeError(dataset.error, t)}
          data-testid="dataset-missing"
        >
          <EmptyState.Actions>
            <Button variant="light" onClick={() => navigate({ name: 'catalog' })}>
              {t('ui.dataset.backToCatalog')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Stack>
    );
  }

  const detail = dataset.data;
  const versions = [...detail.versions].sort((a, b) => b.number - a.number);
  const version = versions.find((v) => v.id === selectedId) ?? versions[0];
  const privacyVersion = privacyFor ? versions.find((v) => v.id === privacyFor) : undefined;

  return (
    <Stack gap="md" style={{ height: 'calc(100dvh - var(--app-shell-header-height, 0px) - 2 * var(--mantine-spacing-lg))', minHeight: 480 }} data-testid="dataset-page">
      <Breadcrumbs>
        <Anchor href={routeHref({ name: 'catalog' })} size="sm">
          {t('ui.catalog.title')}
        </Anchor>
        <Text size="sm" c="dimmed" truncate="end" maw={400} lh={1.6}>
          {detail.name}
        </Text>
      </Breadcrumbs>
      <DatasetHeader detail={detail} version={version} versions={versions} onSelectVersion={setSelectedId} onAnonymise={() => version && setPrivacyFor(version.id)} />
      {privacyVersion && (
        <PrivacyWizard
          opened
          onClose={() => setPrivacyFor(null)}
          version={privacyVersion}
          datasetName={detail.name}
          onOpenVersion={(id) => {
            setSelectedId(id);
            setTab('data');
          }}
        />
      )}
      {!version ? (
        <Alert color="yellow">{t('ui.dataset.noVersions')}</Alert>
      ) : (
        <Tabs value={tab} onChange={(v) => v && setTab(v as Tab)} keepMounted={false} style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
          <Tabs.List>
            <Tabs.Tab value="data" leftSection={<IconTable size={16} />} data-testid="tab-data">
              {t('ui.dataset.tabs.data')}
            </Tabs.Tab>
            <Tabs.Tab value="schema" leftSection={<IconColumns size={16} />} data-testid="tab-schema">
              {t('ui.dataset.tabs.schema')}
              <Badge size="xs" variant="light" color="gray" ml={6}>
                {version.columns.length}
              </Badge>
            </Tabs.Tab>
            <Tabs.Tab value="versions" leftSection={<IconHistory size={16} />} data-testid="tab-versions">
              {t('ui.dataset.tabs.versions')}
              <Badge size="xs" variant="light" color="gray" ml={6}>
                {versions.length}
              </Badge>
            </Tabs.Tab>
            <Tabs.Tab value="privacy" leftSection={<IconShieldLock size={16} />} data-testid="tab-privacy">
              {t('ui.dataset.tabs.privacy')}
            </Tabs.Tab>
            <Tabs.Tab value="clean" leftSection={<IconWand size={16} />} data-testid="tab-clean">
              {t('ui.cleaning.tab')}
            </Tabs.Tab>
            <Tabs.Tab value="lineage" leftSection={<IconHierarchy size={16} />} data-testid="tab-lineage">
              {t('ui.cleaning.lineage.tab')}
            </Tabs.Tab>
            <Tabs.Tab value="quality" leftSection={<IconChartBar size={16} />} data-testid="tab-quality">
              {t('ui.quality.tab')}
            </Tabs.Tab>
            <Tabs.Tab value="about" leftSection={<IconInfoCircle size={16} />} data-testid="tab-about">
              {t('ui.catalogMetadata.about.tab')}
            </Tabs.Tab>
            <Tabs.Tab value="pii" leftSection={<IconFingerprint size={16} />} data-testid="tab-pii">
              {t('ui.pii.tab')}
            </Tabs.Tab>
            <Tabs.Tab value="labeling" leftSection={<IconTags size={16} />} data-testid="tab-labeling">
              {t('ui.labeling.tab')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="data" pt="sm" style={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
            <DataView key={version.id} version={version} />
          </Tabs.Panel>
          <Tabs.Panel value="schema" pt="sm">
            <SchemaTable version={version} />
          </Tabs.Panel>
          <Tabs.Panel value="versions" pt="sm">
            <VersionsTable
              versions={versions}
              selectedId={version.id}
              onSelect={(id) => {
                setSelectedId(id);
                setTab('data');
              }}
            />
          </Tabs.Panel>
          <Tabs.Panel value="privacy" pt="sm">
            <PrivacyPanel datasetName={detail.name} version={version} versions={versions} onStart={() => setPrivacyFor(version.id)} onOpenVersion={(id) => { setSelectedId(id); setTab('data'); }} />
          </Tabs.Panel>
          <Tabs.Panel value="clean" pt="sm" style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
            <CleanPanel version={version} versions={versions} onOpenVersion={(id) => { setSelectedId(id); setTab('data'); }} />
          </Tabs.Panel>
          <Tabs.Panel value="lineage" pt="sm" style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
            <LineagePanel versionId={version.id} onOpenVersion={(id) => { setSelectedId(id); setTab('data'); }} />
          </Tabs.Panel>
          <Tabs.Panel value="quality" pt="sm">
            <QualityPanel key={version.id} version={version} datasetName={detail.name} />
          </Tabs.Panel>
          <Tabs.Panel value="about" pt="sm" style={{ overflowY: 'auto' }}>
            <AboutPanel datasetId={detail.id} columns={versions[0]!.columns.map((c) => c.name)} />
          </Tabs.Panel>
          <Tabs.Panel value="pii" pt="sm">
            <PiiPanel version={version} onOpenWizard={() => setPrivacyFor(version.id)} />
          </Tabs.Panel>
          <Tabs.Panel value="labeling" pt="sm">
            <LabelingPanel dataset={detail} version={version} onOpenVersion={(id) => { setSelectedId(id); setTab('data'); }} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

function DatasetHeader({ detail, version, versions, onSelectVersion, onAnonymise }: { detail: DatasetDetail; version: Version | undefined; versions: Version[]; onSelectVersion: (id: string) => void; onAnonymise: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const host = useHost();
  const [exporting, setExporting] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);

  const exportCsv = async () => {
    if (!version) return;
    setExporting(true);
    try {
      const safeName = detail.name.replace(/[\\/:*?"<>|]+/g, '_');
      const outcome = await host.exportVersion(version.id, `${safeName}-v${version.number}.csv`);
      if (outcome?.path) notifySuccess(t('ui.dataset.exported'), t('ui.dataset.exportedTo', { path: outcome.path, n: fmt.integer(outcome.rowCount ?? version.rowCount), count: outcome.rowCount ?? version.rowCount }));
      else if (outcome) notifyInfo(t('ui.dataset.exportStarted'), t('ui.dataset.exportStartedText'));
    } catch (err) {
      notifyError(t('ui.dataset.exportFailed'), describeError(err, t));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Group justify="space-between" align="flex-start" wrap="nowrap" gap="lg">
      <Stack gap={6} style={{ minWidth: 0 }}>
        <DatasetName detail={detail} />
        {version && (
          <Group gap="xs" c="dimmed">
            <Badge variant="light" tt="none">{t('ui.grid.rowCount', { count: version.rowCount, n: fmt.integer(version.rowCount) })}</Badge>
            <Badge variant="light" color="gray" tt="none">
              {t('ui.dataset.columnCount', { count: version.columns.length, n: fmt.integer(version.columns.length) })}
            </Badge>
            <Text size="xs">
              {t('ui.dataset.versionLine', { number: version.number, operation: t(`ui.operations.${keySegment(version.operation)}`, { defaultValue: version.operation }) })}
            </Text>
            <Text size="xs">·</Text>
            <Tooltip label={fmt.dateTime(version.createdAt)}>
              <Text size="xs">{t('ui.dataset.created', { when: fmt.relative(version.createdAt) })}</Text>
            </Tooltip>
            <Text size="xs">·</Text>
            <HashText hash={version.contentHash} />
          </Group>
        )}
      </Stack>
      <Group gap="xs" wrap="nowrap" style={{ flex: 'none' }}>
        {versions.length > 1 && version && (
          <Select
            size="sm"
            w={170}
            data={versions.map((v) => ({ value: v.id, label: `v${v.number} · ${t(`ui.operations.${keySegment(v.operation)}`, { defaultValue: v.operation })}` }))}
            value={version.id}
            onChange={(v) => v && onSelectVersion(v)}
            allowDeselect={false}
            aria-label={t('ui.dataset.version')}
            data-testid="version-select"
          />
        )}
        <Button variant="default" leftSection={<IconShieldLock size={16} />} onClick={onAnonymise} disabled={!version} data-testid="anonymise-button">
          {t('ui.dataset.anonymise')}
        </Button>
        <ExportReportButton kind="governance" subjectId={detail.id} fileStem={detail.name} label={t('ui.reports.exportGovernance')} testId="dataset-export-governance" />
        <Button variant="default" leftSection={<IconDownload size={16} />} onClick={exportCsv} loading={exporting} disabled={!version} data-testid="export-button">
          {t('ui.dataset.export')}
        </Button>
        <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleteOpen(true)} data-testid="delete-button">
          {t('ui.dataset.delete')}
        </Button>
      </Group>
      <DeleteDialog detail={detail} opened={deleteOpen} onClose={() => setDeleteOpen(false)} />
    </Group>
  );
}

function DatasetName({ detail }: { detail: DatasetDetail }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(detail.name);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const name = value.trim();
    if (!name || name === detail.name) {
      setEditing(false);
      return;
    }
    setSaving(true);
    try {
      await api.catalog.renameDataset({ datasetId: detail.id, name });
      await queryClient.invalidateQueries({ queryKey: queryKeys.dataset(detail.id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.allDatasets });
      setEditing(false);
    } catch (err) {
      notifyError(t('ui.dataset.renameFailed'), describeError(err, t));
    } finally {
      setSaving(false);
    }
  };

  if (editing) {
    return (
      <Group gap="xs" wrap="nowrap">
        <TextInput
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void save();
            if (e.key === 'Escape') setEditing(false);
          }}
          maxLength={200}
          size="md"
          w={420}
          autoFocus
          aria-label={t('ui.dataset.name')}
          data-testid="rename-input"
        />
        <ActionIcon size="lg" onClick={save} loading={saving} aria-label={t('ui.common.save')} data-testid="rename-save">
          <IconCheck size={18} />
        </ActionIcon>
        <ActionIcon size="lg" variant="default" onClick={() => setEditing(false)} aria-label={t('ui.common.cancel')}>
          <IconX size={18} />
        </ActionIcon>
      </Group>
    );
  }
  return (
    <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
      <Title order={2} data-testid="dataset-name" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
        {detail.name}
      </Title>
      <Tooltip label={t('ui.dataset.rename')}>
        <ActionIcon
          variant="subtle"
          color="gray"
          onClick={() => {
            setValue(detail.name);
            setEditing(true);
          }}
          aria-label={t('ui.dataset.rename')}
          data-testid="rename-button"
        >
          <IconPencil size={18} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

function DeleteDialog({ detail, opened, onClose }: { detail: DatasetDetail; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  return (
    <ConfirmDeleteDialog
      opened={opened}
      onClose={onClose}
      title={t('ui.dataset.deleteTitle')}
      text={t('ui.dataset.deleteText', { name: detail.name, count: detail.versions.length })}
      confirmLabel={t('ui.dataset.delete')}
      failedTitle={t('ui.dataset.deleteFailed')}
      describe={(err) => describeError(err, t)}
      onConfirm={async () => {
        await api.catalog.deleteDataset({ datasetId: detail.id });
        navigate({ name: 'catalog' });
        queryClient.removeQueries({ queryKey: queryKeys.dataset(detail.id) });
        for (const v of detail.versions) queryClient.removeQueries({ queryKey: queryKeys.rowsOf(v.id) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.allDatasets });
        notifySuccess(t('ui.dataset.deleted'), t('ui.dataset.deletedText', { name: detail.name }));
      }}
      testId="delete-dialog"
      confirmTestId="confirm-delete"
    />
  );
}

/** The Privacy tab: what anonymisation does, a way to start it, and the anonymised versions so far. */
function PrivacyPanel({ datasetName, version, versions, onStart, onOpenVersion }: { datasetName: string; version: Version; versions: Version[]; onStart: () => void; onOpenVersion: (id: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const anonymised = versions.filter((v) => v.operation === 'anonymise');
  return (
    <Stack gap="md" maw={900} data-testid="privacy-panel">
      <Alert color="indigo" variant="light" icon={<IconShieldLock size={18} />} title={t('ui.dataset.privacy.title')}>
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{t('ui.dataset.privacy.text', { number: version.number })}</Text>
          <Button leftSection={<IconShieldLock size={16} />} onClick={onStart} data-testid="privacy-start">
            {t('ui.dataset.privacy.start', { number: version.number })}
          </Button>
        </Stack>
      </Alert>
      {anonymised.length > 0 && (
        <Stack gap={6}>
          <Text fw={650} size="sm">{t('ui.dataset.privacy.versions')}</Text>
          {anonymised.map((v) => {
            const parent = versions.find((p) => p.id === v.parentId);
            const node = (v.params as { node?: Record<string, number> }).node ?? {};
            return (
              <Group key={v.id} gap="xs" wrap="nowrap" data-testid="privacy-version">
                <Anchor component="button" fw={650} onClick={() => onOpenVersion(v.id)} style={{ flex: 'none' }}>
                  v{v.number}
                </Anchor>
                <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap', flex: 'none' }}>
                  {t('ui.dataset.privacy.versionLine', { parent: parent ? `v${parent.number}` : '—', rows: fmt.integer(v.rowCount), when: fmt.relative(v.createdAt) })}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace" truncate="end" style={{ minWidth: 0, flex: 1 }}>
                  {Object.entries(node).map(([c, l]) => `${c}:${l}`).join(' ')}
                </Text>
                <ExportReportButton kind="certificate" subjectId={v.id} fileStem={`${datasetName}-v${v.number}`} label={t('ui.reports.exportCertificate')} size="xs" variant="subtle" testId="privacy-version-certificate" />
              </Group>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}
