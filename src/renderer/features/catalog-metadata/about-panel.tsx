/** A dataset's About tab: description, owner, steward, tags, glossary terms (dataset and column), sensitivity class. */
import { useEffect, useState } from 'react';
import {
  ActionIcon, Alert, Anchor, Badge, Button, Group, Loader, MultiSelect, Paper, SegmentedControl, Select, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput, Title, Tooltip,
} from '@mantine/core';
import { IconBulb, IconDeviceFloppy, IconPlus, IconX } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { SENSITIVITIES, type DatasetMetadata, type Sensitivity, type TermLink } from '../../../shared/model/catalog-metadata.js';
import { describeError, useApi } from '../../api/index.js';
import { useFormat } from '../../ui/format.js';
import { notifyError, notifySuccess } from '../../ui/notify.js';
import { routeHref } from '../../ui/routing.js';
import { SENSITIVITY_COLORS } from './search.js';

interface Draft {
  description: string;
  owner: string;
  steward: string;
  tags: string[];
  datasetTerms: string[];
  columnTerms: { term: string; column: string }[];
  sensitivity: Sensitivity | null;
}

function draftOf(meta: DatasetMetadata): Draft {
  return {
    description: meta.description,
    owner: meta.owner,
    steward: meta.steward,
    tags: meta.tags,
    datasetTerms: meta.terms.filter((t) => t.column === null).map((t) => t.term),
    columnTerms: meta.terms.filter((t) => t.column !== null).map((t) => ({ term: t.term, column: t.column! })),
    sensitivity: meta.sensitivity,
  };
}

export const metadataKey = (datasetId: string) => ['catalog', 'dataset', datasetId, 'metadata'] as const;

export function AboutPanel({ datasetId, columns }: { datasetId: string; columns: string[] }) {
  const { t } = useTranslation();
  const api = useApi();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const meta = useQuery({ queryKey: metadataKey(datasetId), queryFn: () => api.metadata.getMetadata({ datasetId }) });
  const glossary = useQuery({ queryKey: ['catalog', 'datasets', 'glossary'], queryFn: () => api.metadata.listGlossary({}) });
  const tags = useQuery({ queryKey: ['catalog', 'datasets', 'tags'], queryFn: () => api.metadata.listTags({}) });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  const [newColumn, setNewColumn] = useState<string | null>(null);
  const [newTerm, setNewTerm] = useState<string | null>(null);
  useEffect(() => {
    if (meta.data) setDraft(draftOf(meta.data));
  }, [meta.data]);

  if (meta.isError) return <Alert color="red">{describeError(meta.error, t)}</Alert>;
  if (!meta.data || !draft) {
    return (
      <Group justify="center" py="xl">
        <Loader size="sm" />
      </Group>
    );
  }
  const saved = draftOf(meta.data);
  const dirty = JSON.stringify(saved) !== JSON.stringify(draft);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const termNames = (glossary.data ?? []).map((g) => g.term);
  const definitionOf = (term: string) => glossary.data?.find((g) => g.term === term)?.definition ?? '';

  const save = async () => {
    setSaving(true);
    try {
      const terms: TermLink[] = [...draft.datasetTerms.map((term) => ({ term, column: null })), ...draft.columnTerms];
      const updated = await api.metadata.updateMetadata({
        datasetId,
        description: draft.description,
        owner: draft.owner,
        steward: draft.steward,
        tags: draft.tags,
        terms,
        sensitivity: draft.sensitivity,
      });
      queryClient.setQueryData(metadataKey(datasetId), updated);
      void queryClient.invalidateQueries({ queryKey: ['catalog', 'datasets'] });
      notifySuccess(t('ui.catalogMetadata.about.savedTitle'), t('ui.catalogMetadata.about.savedText'));
    } catch (err) {
      notifyError(t('ui.catalogMetadata.about.saveFailed'), describeError(err, t));
    } finally {
      setSaving(false);
    }
  };

  const suggestion = meta.data.suggestedSensitivity;
  return (
    <Stack gap="md" maw={980} data-testid="about-panel">
      <Textarea
        label={t('ui.catalogMetadata.about.description')}
        placeholder={t('ui.catalogMetadata.about.descriptionPlaceholder')}
        value={draft.description}
        onChange={(e) => set({ description: e.currentTarget.value })}
        autosize
        minRows={3}
        maxRows={10}
        data-testid="about-description"
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <TextInput label={t('ui.catalogMetadata.about.owner')} description={t('ui.catalogMetadata.about.ownerHint')} value={draft.owner} onChange={(e) => set({ owner: e.currentTarget.value })} maxLength={200} data-testid="about-owner" />
        <TextInput label={t('ui.catalogMetadata.about.steward')} description={t('ui.catalogMetadata.about.stewardHint')} value={draft.steward} onChange={(e) => set({ steward: e.currentTarget.value })} maxLength={200} data-testid="about-steward" />
      </SimpleGrid>
      <TagsInput
        label={t('ui.catalogMetadata.about.tags')}
        description={t('ui.catalogMetadata.about.tagsHint')}
        data={(tags.data ?? []).map((x) => x.tag)}
        value={draft.tags}
        onChange={(v) => set({ tags: v })}
        clearable
        comboboxProps={{ withinPortal: true }}
        data-testid="about-tags"
      />
      <Stack gap={6}>
        <Text size="sm" fw={500}>
          {t('ui.catalogMetadata.about.sensitivity')}
        </Text>
        <Group gap="sm">
          <SegmentedControl
            value={draft.sensitivity ?? 'none'}
            onChange={(v) => set({ sensitivity: v === 'none' ? null : (v as Sensitivity) })}
            data={[{ value: 'none', label: t('ui.catalogMetadata.sensitivity.none') }, ...SENSITIVITIES.map((s) => ({ value: s, label: t(`ui.catalogMetadata.sensitivity.${s}`) }))]}
            color={draft.sensitivity ? SENSITIVITY_COLORS[draft.sensitivity] : 'gray'}
            data-testid="about-sensitivity"
          />
        </Group>
        <Text size="xs" c="dimmed">
          {t(`ui.catalogMetadata.sensitivityHint.${draft.sensitivity ?? 'none'}`)}
        </Text>
        {suggestion && suggestion.sensitivity !== draft.sensitivity && (
          <Alert color="yellow" icon={<IconBulb size={18} />} data-testid="about-suggestion">
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm">{t('ui.catalogMetadata.about.suggestion', { class: t(`ui.catalogMetadata.sensitivity.${suggestion.sensitivity}`), reason: suggestion.reason })}</Text>
              <Button size="xs" variant="light" onClick={() => set({ sensitivity: suggestion.sensitivity })}>
                {t('ui.catalogMetadata.about.applySuggestion')}
              </Button>
            </Group>
          </Alert>
        )}
      </Stack>

      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" mb="xs">
          <Title order={5}>{t('ui.catalogMetadata.about.terms')}</Title>
          <Anchor href={routeHref({ name: 'glossary' })} size="sm">
            {t('ui.catalogMetadata.about.openGlossary')}
          </Anchor>
        </Group>
        {termNames.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('ui.catalogMetadata.about.noGlossary')}
          </Text>
        ) : (
          <Stack gap="sm">
            <MultiSelect
              label={t('ui.catalogMetadata.about.datasetTerms')}
              data={termNames}
              value={draft.datasetTerms}
              onChange={(v) => set({ datasetTerms: v })}
              searchable
              clearable
              comboboxProps={{ withinPortal: true }}
              data-testid="about-dataset-terms"
            />
            <Text size="sm" fw={500}>
              {t('ui.catalogMetadata.about.columnTerms')}
            </Text>
            <Group gap={6}>
              {draft.columnTerms.map((link) => (
                <Tooltip key={`${link.column}@${link.term}`} label={definitionOf(link.term) || link.term} multiline maw={320}>
                  <Badge
                    variant="light"
                    size="lg"
                    tt="none"
                    rightSection={
                      <ActionIcon size="xs" variant="transparent" aria-label={t('ui.catalogMetadata.about.removeLink')} onClick={() => set({ columnTerms: draft.columnTerms.filter((l) => l !== link) })}>
                        <IconX size={12} />
                      </ActionIcon>
                    }
                  >
                    {link.column} → {link.term}
                  </Badge>
                </Tooltip>
              ))}
            </Group>
            <Group gap="xs" align="flex-end">
              <Select placeholder={t('ui.catalogMetadata.about.column')} data={columns} value={newColumn} onChange={setNewColumn} searchable w={220} comboboxProps={{ withinPortal: true }} data-testid="about-link-column" />
              <Select placeholder={t('ui.catalogMetadata.about.term')} data={termNames} value={newTerm} onChange={setNewTerm} searchable w={220} comboboxProps={{ withinPortal: true }} data-testid="about-link-term" />
              <Button
                variant="light"
                leftSection={<IconPlus size={14} />}
                disabled={!newColumn || !newTerm || draft.columnTerms.some((l) => l.column === newColumn && l.term === newTerm)}
                onClick={() => {
                  set({ columnTerms: [...draft.columnTerms, { column: newColumn!, term: newTerm! }] });
                  setNewTerm(null);
                }}
                data-testid="about-link-add"
              >
                {t('ui.catalogMetadata.about.link')}
              </Button>
            </Group>
          </Stack>
        )}
      </Paper>

      <Group justify="space-between">
        <Text size="xs" c="dimmed" data-testid="about-updated">
          {meta.data.updatedAt ? t('ui.catalogMetadata.about.updated', { who: meta.data.updatedBy ?? '', when: fmt.dateTime(meta.data.updatedAt) }) : t('ui.catalogMetadata.about.neverEdited')}
        </Text>
        <Group gap="sm">
          <Button variant="default" disabled={!dirty || saving} onClick={() => setDraft(saved)}>
            {t('ui.catalogMetadata.about.reset')}
          </Button>
          <Button leftSection={<IconDeviceFloppy size={16} />} onClick={save} loading={saving} disabled={!dirty} data-testid="about-save">
            {t('ui.catalogMetadata.about.save')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
