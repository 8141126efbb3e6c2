/** One model: summary, evaluation, explanation, compression, scoring and evaluation on a version, delete. */
import { ConfirmDeleteDialog } from '../../ui/confirm-delete-dialog.js';
import { useState, type ReactNode } from 'react';
import { Anchor, Badge, Breadcrumbs, Button, EmptyState, Group, Loader, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { IconBrain, IconBulb, IconChartLine, IconScissors, IconTargetArrow, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ModelRecord } from '../../../shared/model/training.js';
import { XinzhiError } from '../../../shared/model/errors.js';
import { describeError, queryKeys, useApi, useModel, useVersion } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { navigate, routeHref } from '../../ui/routing.js';
import { notifySuccess } from '../../ui/notify.js';
import { CompressSection } from './compress-section.js';
import { ExplainSection } from './explain-section.js';
import { ConfusionMatrix, CrossValidation, LearningCurves, MetricsTable, RocCurve, Section, Trials } from './model-report.js';
import { hyperParamsOf, splitRowsOf, taskOf } from './model-view.js';
import { ScoreSection } from './score-section.js';
import { ExportReportButton } from '../reports/index.js';

type Tab = 'overview' | 'explain' | 'compress' | 'score';


const MAX_FEATURE_BADGES = 40;
export function ModelPage({ modelId }: { modelId: string }) {
  const { t } = useTranslation();
  const model = useModel(modelId);
  const [tab, setTab] = useState<Tab>('overview');

  if (model.isPending) {
    return (
      <Group justify="center" py="xl">
        <Loader />
      </Group>
    );
  }
  if (model.isError) {
    const notFound = model.error instanceof XinzhiError && model.error.code === 'E_NOT_FOUND';
    return (
      <Stack py="xl" align="center">
        <EmptyState icon={<IconBrain size={28} />} withIndicatorBackground title={notFound ? t('ui.training.notFound') : t('ui.training.loadModelFailed')} description={describeError(model.error, t)} data-testid="model-missing">
          <EmptyState.Actions>
            <Button variant="light" onClick={() => navigate({ name: 'models' })}>
              {t('ui.training.backToModels')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Stack>
    );
  }
  const m = model.data;
  return (
    <Stack gap="md" data-testid="model-page" data-model-id={m.id}>
      <Breadcrumbs>
        <Anchor href={routeHref({ name: 'models' })} size="sm">
          {t('ui.training.studio')}
        </Anchor>
        <Text size="sm" c="dimmed" truncate="end" maw={400} lh={1.6}>
          {m.name}
        </Text>
      </Breadcrumbs>
      <ModelHeader model={m} />
      <Tabs value={tab} onChange={(v) => v && setTab(v as Tab)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview" leftSection={<IconChartLine size={16} />} data-testid="model-tab-overview">
            {t('ui.training.tabs.overview')}
          </Tabs.Tab>
          <Tabs.Tab value="explain" leftSection={<IconBulb size={16} />} data-testid="model-tab-explain">
            {t('ui.training.tabs.explain')}
          </Tabs.Tab>
          <Tabs.Tab value="compress" leftSection={<IconScissors size={16} />} data-testid="model-tab-compress">
            {t('ui.training.tabs.compress')}
          </Tabs.Tab>
          <Tabs.Tab value="score" leftSection={<IconTargetArrow size={16} />} data-testid="model-tab-score">
            {t('ui.training.tabs.score')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <Overview model={m} />
        </Tabs.Panel>
        <Tabs.Panel value="explain" pt="md">
          <ExplainSection model={m} />
        </Tabs.Panel>
        <Tabs.Panel value="compress" pt="md">
          <CompressSection model={m} />
        </Tabs.Panel>
        <Tabs.Panel value="score" pt="md">
          <ScoreSection model={m} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function ModelHeader({ model }: { model: ModelRecord }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [deleteOpen, setDeleteOpen] = useState(false);
  return (
    <Group justify="space-between" align="flex-start" wrap="nowrap" gap="lg">
      <Stack gap={6} style={{ minWidth: 0 }}>
        <Title order={2} data-testid="model-name" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {model.name}
        </Title>
        <Group gap="xs">
          <Badge variant="light" tt="none" data-testid="model-family">
            {t(`ui.training.families.${model.family}`)}
          </Badge>
          <Badge variant="light" color="grape" tt="none" data-testid="model-task">
            {t(`ui.training.tasks.${taskOf(model)}`)}
          </Badge>
          <Badge variant="light" color="gray" tt="none">
            {model.backend}
          </Badge>
          <Text size="xs" c="dimmed">
            {t('ui.training.trainedIn', { duration: fmt.duration(model.trainMs), when: fmt.relative(model.createdAt) })}
          </Text>
          {model.parentModelId && (
            <Anchor size="xs" href={routeHref({ name: 'model', modelId: model.parentModelId })} data-testid="model-parent">
              {t('ui.training.compressedFromLink')}
            </Anchor>
          )}
        </Group>
      </Stack>
      <Group gap="xs" wrap="nowrap" style={{ flex: 'none' }}>
        <ExportReportButton kind="model-card" subjectId={model.id} fileStem={model.name} label={t('ui.reports.exportModelCard')} testId="model-export-card" />
        <Button variant="default" component="a" href={routeHref({ name: 'train', versionId: model.versionId })} data-testid="model-retrain">
          {t('ui.training.trainAgain')}
        </Button>
        <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleteOpen(true)} data-testid="model-delete">
          {t('ui.training.delete')}
        </Button>
      </Group>
      <DeleteDialog model={model} opened={deleteOpen} onClose={() => setDeleteOpen(false)} />
    </Group>
  );
}

function Overview({ model }: { model: ModelRecord }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const version = useVersion(model.versionId);
  const report = model.report ?? { history: [] };
  const rows = splitRowsOf(model);
  const hyper = hyperParamsOf(model);
  const summary: [string, ReactNode][] = [
    [t('ui.training.columns.family'), t(`ui.training.families.${model.family}`)],
    [t('ui.training.columns.task'), t(`ui.training.tasks.${taskOf(model)}`)],
    [
      t('ui.training.columns.version'),
      version.data ? (
        <Anchor size="sm" href={routeHref({ name: 'dataset', datasetId: version.data.datasetId })}>
          v{version.data.number}
        </Anchor>
      ) : (
        model.versionId
      ),
    ],
    [t('ui.training.target'), model.target || '—'],
    [t('ui.training.columns.backend'), model.backend],
    [t('ui.training.columns.trainTime'), fmt.duration(model.trainMs)],
    [t('ui.training.columns.size'), fmt.bytes(model.sizeBytes)],
    [t('ui.training.columns.created'), fmt.dateTime(model.createdAt)],
  ];
  if (rows) summary.push([t('ui.training.splitRows'), t('ui.training.splitRowsValue', { train: fmt.integer(rows.train), validation: fmt.integer(rows.validation), test: fmt.integer(rows.test) })]);
  const auc = model.metrics?.roc_auc;

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Section title={t('ui.training.summary')} testId="model-summary">
          <Table verticalSpacing={3} withRowBorders={false}>
            <Table.Tbody>
              {summary.map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Td w={160}>
                    <Text size="sm" c="dimmed">
                      {label}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" component="div">
                      {value}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm" c="dimmed" mt="sm" mb={4}>
            {t('ui.training.featuresCount', { n: model.features.length })}
          </Text>
          <Group gap={4} data-testid="model-features">
            {/* An image model has hundreds of pixel columns: the first ones, then a count. */}
            {model.features.slice(0, MAX_FEATURE_BADGES).map((f) => (
              <Badge key={f} variant="outline" color="gray" tt="none" size="sm">
                {f}
              </Badge>
            ))}
            {model.features.length > MAX_FEATURE_BADGES && (
              <Badge variant="light" color="gray" tt="none" size="sm" data-testid="model-features-more">
                {t('ui.training.moreFeatures', { n: model.features.length - MAX_FEATURE_BADGES })}
              </Badge>
            )}
          </Group>
          {hyper.length > 0 && (
            <>
              <Text size="sm" c="dimmed" mt="sm" mb={4}>
                {t('ui.training.hyperParams')}
              </Text>
              <Group gap={4} data-testid="model-hyper">
                {hyper.map(([k, v]) => (
                  <Badge key={k} variant="light" color="indigo" tt="none" size="sm" ff="monospace">
                    {k} = {v}
                  </Badge>
                ))}
              </Group>
            </>
          )}
        </Section>
        <Section title={t('ui.training.testMetrics')} hint={t('ui.training.testMetricsHint')}>
          <MetricsTable metrics={model.metrics ?? {}} />
        </Section>
      </SimpleGrid>

      {(report.confusion || report.roc) && (
        <SimpleGrid cols={{ base: 1, md: report.confusion && report.roc ? 2 : 1 }} spacing="md">
          {report.confusion && (
            <Section title={t('ui.training.confusion')} hint={t('ui.training.confusionHint')}>
              <ConfusionMatrix classes={report.classes ?? []} matrix={report.confusion} />
            </Section>
          )}
          {report.roc && (
            <Section title={t('ui.training.roc')}>
              <RocCurve roc={report.roc} auc={auc} />
            </Section>
          )}
        </SimpleGrid>
      )}

      <Section title={t('ui.training.learningCurves')} hint={t('ui.training.learningCurvesHint')}>
        <LearningCurves model={model} />
      </Section>

      {(report.cv || (report.trials && report.trials.length > 0)) && (
        <SimpleGrid cols={{ base: 1, md: report.cv && report.trials?.length ? 2 : 1 }} spacing="md">
          {report.cv && (
            <Section title={t('ui.training.cv')}>
              <CrossValidation cv={report.cv} />
            </Section>
          )}
          {report.trials && report.trials.length > 0 && (
            <Section title={t('ui.training.trialsTitle')} hint={t('ui.training.trialsHint', { n: report.trials.length })}>
              <Trials trials={report.trials} />
            </Section>
          )}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function DeleteDialog({ model, opened, onClose }: { model: ModelRecord; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  return (
    <ConfirmDeleteDialog
      opened={opened}
      onClose={onClose}
      title={t('ui.training.deleteTitle')}
      text={t('ui.training.deleteText', { name: model.name })}
      confirmLabel={t('ui.training.delete')}
      failedTitle={t('ui.training.deleteFailed')}
      describe={(err) => describeError(err, t)}
      onConfirm={async () => {
        await api.training.deleteModel({ modelId: model.id });
        navigate({ name: 'models' });
        queryClient.removeQueries({ queryKey: queryKeys.model(model.id) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.models });
        notifySuccess(t('ui.training.deleted'), t('ui.training.deletedText', { name: model.name }));
      }}
      testId="model-delete-dialog"
      confirmTestId="model-confirm-delete"
    />
  );
}
