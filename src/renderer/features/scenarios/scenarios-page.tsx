/** The Scenarios page: one card per finished template, its pipeline steps, sample and licence, buttons and stored runs. */
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconDatabaseImport, IconPlayerPlay } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/i18n/index.js';
import type { ScenarioRunSummary, ScenarioTemplate } from '../../../shared/model/scenarios.js';
import { useApi } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { routeHref } from '../../ui/routing.js';
import { OwnDataWizard } from './own-data-wizard.js';
import { formatKpi } from './format.js';
import { scenarioRunsKey, useScenarioJob } from './use-scenario-job.js';

export function ScenariosPage() {
  const { t } = useTranslation();
  const api = useApi();
  const templates = useQuery({ queryKey: ['scenarios', 'templates'], queryFn: () => api.scenarios.listTemplates({}), staleTime: Infinity });
  const runs = useQuery({ queryKey: scenarioRunsKey, queryFn: () => api.scenarios.listRuns({}) });
  return (
    <Stack gap="md" p="md">
      <div>
        <Title order={2}>{t('ui.scenarios.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('ui.scenarios.subtitle')}
        </Text>
      </div>
      {templates.isError && <Alert color="red">{t('ui.scenarios.loadFailed')}</Alert>}
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }}>
        {(templates.data ?? []).map((template) => (
          <ScenarioCard key={template.id} template={template} runs={(runs.data ?? []).filter((r) => r.scenarioId === template.id)} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function ScenarioCard({ template, runs }: { template: ScenarioTemplate; runs: ScenarioRunSummary[] }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const fmt = useFormat();
  const lang = (i18n.language === 'zh-CN' ? 'zh-CN' : 'en') as Language;
  const run = useScenarioJob();
  const [wizard, setWizard] = useState(false);
  return (
    <Card withBorder radius="md" padding="lg" data-testid={`scenario-card-${template.id}`}>
      <Stack gap="sm">
        <Title order={4}>{template.title[lang]}</Title>
        <Text size="sm">{template.summary[lang]}</Text>
        <Group gap={4}>
          {template.steps.map((s, i) => (
            <Badge key={s} variant="light" size="sm">
              {i + 1}. {t(`ui.scenarios.steps.${s}`)}
            </Badge>
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          {t('ui.scenarios.sample', { name: template.sample.name, licence: template.sample.licence })}
        </Text>
        {run.busy && (
          <Stack gap={4} data-testid="scenario-progress">
            <Text size="xs">{run.job?.message || t('ui.scenarios.running')}</Text>
            <Progress value={(run.job?.progress ?? 0) * 100} animated />
          </Stack>
        )}
        {run.error && (
          <Alert color="red" data-testid="scenario-error">
            {run.error}
          </Alert>
        )}
        <Group>
          <Button leftSection={<IconPlayerPlay size={16} />} loading={run.busy} onClick={() => void run.start(() => api.scenarios.runSample({ scenarioId: template.id }))} data-testid="scenario-run-sample">
            {t('ui.scenarios.runSample')}
          </Button>
          <Button variant="default" leftSection={<IconDatabaseImport size={16} />} disabled={run.busy} onClick={() => setWizard(true)} data-testid="scenario-use-own">
            {t('ui.scenarios.useOwn')}
          </Button>
        </Group>
        <Text size="sm" fw={600}>
          {t('ui.scenarios.runs')}
        </Text>
        {runs.length === 0 ? (
          <Text size="xs" c="dimmed">
            {t('ui.scenarios.noRuns')}
          </Text>
        ) : (
          <Stack gap={2}>
            {runs.slice(0, 5).map((r) => (
              <Group key={r.id} gap="xs" wrap="nowrap">
                <Anchor href={routeHref({ name: 'scenarioRun', runId: r.id })} size="sm" data-testid="scenario-run-link">
                  {fmt.dateTime(r.createdAt)}
                </Anchor>
                <Badge size="xs" variant="outline">
                  {t(r.source === 'sample' ? 'ui.scenarios.sourceSample' : 'ui.scenarios.sourceOwn')}
                </Badge>
                {r.kpis[0] && (
                  <Text size="xs" c="dimmed" truncate>
                    {t(`ui.scenarios.kpis.${r.kpis[0].key}`)}: {formatKpi(r.kpis[0], fmt)}
                  </Text>
                )}
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
      {wizard && <OwnDataWizard template={template} lang={lang} onClose={() => setWizard(false)} onStart={(call) => void run.start(call)} />}
    </Card>
  );
}
