/** The workspace glossary: business terms with their definitions, and the datasets and columns that use them. */
import { useState } from 'react';
import { ActionIcon, Anchor, Button, Group, Modal, Paper, Stack, Table, Text, Textarea, TextInput, Title, Tooltip, EmptyState } from '@mantine/core';
import { IconBook2, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { GlossaryTerm } from '../../../shared/model/catalog-metadata.js';
import { describeError, useApi } from '../../api/index.js';
import { notifyError } from '../../ui/notify.js';
import { routeHref } from '../../ui/routing.js';

const GLOSSARY_KEY = ['catalog', 'datasets', 'glossary'] as const;

export function GlossaryPage() {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const glossary = useQuery({ queryKey: GLOSSARY_KEY, queryFn: () => api.metadata.listGlossary({}) });
  const [editing, setEditing] = useState<{ previous: GlossaryTerm | null } | null>(null);
  const terms = glossary.data ?? [];

  const remove = async (term: string) => {
    try {
      await api.metadata.deleteTerm({ term });
      void queryClient.invalidateQueries({ queryKey: ['catalog'] });
    } catch (err) {
      notifyError(t('ui.catalogMetadata.glossary.saveFailed'), describeError(err, t));
    }
  };

  return (
    <Stack gap="lg" data-testid="glossary-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('ui.catalogMetadata.glossary.title')}</Title>
          <Text c="dimmed" size="sm" mt={4}>
            {t('ui.catalogMetadata.glossary.subtitle')}
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ previous: null })} data-testid="glossary-add">
          {t('ui.catalogMetadata.glossary.add')}
        </Button>
      </Group>
      {terms.length === 0 && !glossary.isPending ? (
        <Paper withBorder radius="md" py={56} px="lg">
          <EmptyState icon={<IconBook2 size={28} />} withIndicatorBackground title={t('ui.catalogMetadata.glossary.emptyTitle')} description={t('ui.catalogMetadata.glossary.emptyText')} data-testid="glossary-empty" />
        </Paper>
      ) : (
        <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="glossary-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={220}>{t('ui.catalogMetadata.glossary.term')}</Table.Th>
                <Table.Th>{t('ui.catalogMetadata.glossary.definition')}</Table.Th>
                <Table.Th w={280}>{t('ui.catalogMetadata.glossary.usedBy')}</Table.Th>
                <Table.Th w={80} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {terms.map((term) => (
                <Table.Tr key={term.term} data-testid="glossary-row">
                  <Table.Td fw={600}>{term.term}</Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                      {term.definition || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {term.links.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('ui.catalogMetadata.glossary.unused')}
                      </Text>
                    ) : (
                      <Stack gap={2}>
                        {term.links.map((l) => (
                          <Anchor key={`${l.datasetId}.${l.column ?? ''}`} href={routeHref({ name: 'dataset', datasetId: l.datasetId })} size="sm">
                            {l.column ? `${l.datasetName} · ${l.column}` : l.datasetName}
                          </Anchor>
                        ))}
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label={t('ui.catalogMetadata.glossary.edit')}>
                        <ActionIcon variant="subtle" onClick={() => setEditing({ previous: term })} aria-label={t('ui.catalogMetadata.glossary.edit')}>
                          <IconPencil size={16} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label={t('ui.catalogMetadata.glossary.delete')}>
                        <ActionIcon variant="subtle" color="red" onClick={() => void remove(term.term)} aria-label={t('ui.catalogMetadata.glossary.delete')}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {editing && <TermDialog previous={editing.previous} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function TermDialog({ previous, onClose }: { previous: GlossaryTerm | null; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const [term, setTerm] = useState(previous?.term ?? '');
  const [definition, setDefinition] = useState(previous?.definition ?? '');
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      await api.metadata.saveTerm({ term: term.trim(), definition: definition.trim(), ...(previous ? { previousTerm: previous.term } : {}) });
      void queryClient.invalidateQueries({ queryKey: ['catalog'] });
      onClose();
    } catch (err) {
      notifyError(t('ui.catalogMetadata.glossary.saveFailed'), describeError(err, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={previous ? t('ui.catalogMetadata.glossary.edit') : t('ui.catalogMetadata.glossary.add')} size="lg">
      <Stack gap="sm">
        <TextInput label={t('ui.catalogMetadata.glossary.term')} value={term} onChange={(e) => setTerm(e.currentTarget.value)} maxLength={120} required data-autofocus data-testid="glossary-term" />
        <Textarea label={t('ui.catalogMetadata.glossary.definition')} value={definition} onChange={(e) => setDefinition(e.currentTarget.value)} autosize minRows={3} maxRows={10} data-testid="glossary-definition" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('ui.catalogMetadata.glossary.cancel')}
          </Button>
          <Button onClick={save} loading={saving} disabled={!term.trim()} data-testid="glossary-save">
            {t('ui.catalogMetadata.glossary.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
