/**
 * The labeling tab: a label schema per dataset, a named annotator (remembered on this machine), a keyboard-driven
 * queue (1–9 label, S skip, U undo) with progress and rate, agreement, and export as a new version.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert, Autocomplete, Badge, Button, Group, Kbd, Loader, NumberInput, Paper, Progress, SegmentedControl, Stack, Table, Text, TextInput, Title,
} from '@mantine/core';
import { IconArrowBackUp, IconDownload, IconPlayerPlay, IconPlayerSkipForward, IconSettings, IconTags } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DatasetDetail, Version } from '../../../shared/model/catalog.js';
import type { LabelSchema, Queue } from '../../../shared/model/labeling.js';
import { describeError, queryKeys, useApi } from '../../api/index.js';
import { notifyError, notifySuccess } from '../../ui/notify.js';

const ANNOTATOR_KEY = 'xinzhi.annotator';
const keys = {
  schema: (datasetId: string) => ['labeling', 'schema', datasetId] as const,
  stats: (datasetId: string) => ['labeling', 'stats', datasetId] as const,
  annotators: (datasetId: string) => ['labeling', 'annotators', datasetId] as const,
};

export function LabelingPanel({ dataset, version, onOpenVersion }: { dataset: DatasetDetail; version: Version; onOpenVersion: (versionId: string) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const schema = useQuery({ queryKey: keys.schema(dataset.id), queryFn: () => api.labeling.getSchema({ datasetId: dataset.id }) });
  const [editing, setEditing] = useState(false);
  const [annotator, setAnnotator] = useState(() => globalThis.localStorage?.getItem(ANNOTATOR_KEY) ?? '');
  const [labeling, setLabeling] = useState(false);

  if (schema.isPending) return <Loader size="sm" />;
  if (schema.isError) return <Alert color="red">{describeError(schema.error, t)}</Alert>;
  if (!schema.data || editing) return <SchemaForm datasetId={dataset.id} current={schema.data} onDone={() => setEditing(false)} />;

  return (
    <Stack gap="md" data-testid="labeling-panel">
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <IconTags size={20} />
          <Text fw={650}>{t('ui.labeling.schemaTitle')}</Text>
          {schema.data.kind === 'text' ? (
            <Badge variant="light">{t('ui.labeling.kindText')}</Badge>
          ) : (
            schema.data.classes.map((c, i) => (
              <Badge key={c} variant="light" leftSection={i < 9 ? <Kbd size="xs">{i + 1}</Kbd> : undefined}>
                {c}
              </Badge>
            ))
          )}
          <Text size="xs" c="dimmed">
            {t('ui.labeling.overlapSummary', { percent: Math.round(schema.data.overlap * 100), perItem: schema.data.annotatorsPerItem })}
          </Text>
        </Group>
        <Button variant="subtle" size="xs" leftSection={<IconSettings size={14} />} onClick={() => setEditing(true)} data-testid="labeling-edit-schema">
          {t('ui.labeling.editSchema')}
        </Button>
      </Group>
      {labeling ? (
        <QueueView schema={schema.data} version={version} annotator={annotator} onStop={() => setLabeling(false)} />
      ) : (
        <AnnotatorPicker
          datasetId={dataset.id}
          value={annotator}
          onChange={setAnnotator}
          onStart={() => {
            globalThis.localStorage?.setItem(ANNOTATOR_KEY, annotator.trim());
            setLabeling(true);
          }}
        />
      )}
      <StatsView datasetId={dataset.id} onOpenVersion={onOpenVersion} />
    </Stack>
  );
}

function SchemaForm({ datasetId, current, onDone }: { datasetId: string; current: LabelSchema | null; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<'classes' | 'text'>(current?.kind ?? 'classes');
  const [classes, setClasses] = useState(current?.classes.join(', ') ?? '');
  const [overlap, setOverlap] = useState<number>(Math.round((current?.overlap ?? 0.1) * 100));
  const [perItem, setPerItem] = useState<number>(current?.annotatorsPerItem ?? 2);
  const [labelColumn, setLabelColumn] = useState(current?.labelColumn ?? 'label');
  const save = useMutation({
    mutationFn: () =>
      api.labeling.setSchema({ datasetId, kind, classes: classes.split(/[,，]/).map((c) => c.trim()).filter(Boolean), overlap: overlap / 100, annotatorsPerItem: perItem, labelColumn }),
    onSuccess: (saved) => {
      queryClient.setQueryData(keys.schema(datasetId), saved);
      onDone();
    },
  });
  return (
    <Paper withBorder radius="md" p="md" maw={640} data-testid="labeling-schema-form">
      <Stack gap="sm">
        <Title order={5}>{t('ui.labeling.schemaTitle')}</Title>
        {!current && (
          <Text size="sm" c="dimmed">
            {t('ui.labeling.noSchema')}
          </Text>
        )}
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as 'classes' | 'text')}
          data={[
            { value: 'classes', label: t('ui.labeling.kindClasses') },
            { value: 'text', label: t('ui.labeling.kindText') },
          ]}
          w={260}
        />
        {kind === 'classes' && (
          <TextInput label={t('ui.labeling.classes')} value={classes} onChange={(e) => setClasses(e.currentTarget.value)} placeholder="positive, negative, neutral" data-testid="labeling-classes" />
        )}
        <Group grow>
          <NumberInput label={t('ui.labeling.overlap')} value={overlap} onChange={(v) => setOverlap(Number(v) || 0)} min={0} max={100} suffix="%" data-testid="labeling-overlap" />
          <NumberInput label={t('ui.labeling.perItem')} value={perItem} onChange={(v) => setPerItem(Number(v) || 1)} min={1} max={10} />
        </Group>
        <TextInput label={t('ui.labeling.labelColumn')} value={labelColumn} onChange={(e) => setLabelColumn(e.currentTarget.value)} />
        {save.isError && <Alert color="red">{describeError(save.error, t)}</Alert>}
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="labeling-save-schema">
            {t('ui.labeling.saveSchema')}
          </Button>
          {current && (
            <Button variant="default" onClick={onDone}>
              {t('ui.common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function AnnotatorPicker({ datasetId, value, onChange, onStart }: { datasetId: string; value: string; onChange: (v: string) => void; onStart: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const known = useQuery({ queryKey: keys.annotators(datasetId), queryFn: () => api.labeling.listAnnotators({ datasetId }) });
  return (
    <Group align="end">
      <Autocomplete
        label={t('ui.labeling.annotator')}
        placeholder={t('ui.labeling.annotatorPlaceholder')}
        data={known.data ?? []}
        value={value}
        onChange={onChange}
        w={260}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && value.trim()) onStart();
        }}
        data-testid="labeling-annotator"
      />
      <Button leftSection={<IconPlayerPlay size={16} />} disabled={!value.trim()} onClick={onStart} data-testid="labeling-start">
        {t('ui.labeling.start')}
      </Button>
    </Group>
  );
}

type Item = Queue['items'][number];

function QueueView({ schema, version, annotator, onStop }: { schema: LabelSchema; version: Version; annotator: string; onStop: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const [items, setItems] = useState<Item[]>([]);
  const [columns, setColumns] = useState<string[]>([]);
  const [progress, setProgress] = useState<Queue['progress'] | null>(null);
  const [loading, setLoading] = useState(true);
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState('');
  // Skipped rows stay out of this session's queue; undo needs the rows labelled, in order.
  const skipped = useRef<number[]>([]);
  const history = useRef<Item[]>([]);
  const times = useRef<number[]>([]);
  const [rate, setRate] = useState<number | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const queue = await api.labeling.nextItems({ versionId: version.id, annotator, limit: 20, exclude: skipped.current });
      setItems(queue.items);
      setColumns(queue.columns);
      setProgress(queue.progress);
    } catch (error) {
      notifyError(t('ui.labeling.tab'), describeError(error, t));
    } finally {
      setLoading(false);
    }
  }, [api, version.id, annotator, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const current = items[0];
  const refreshStats = () => void queryClient.invalidateQueries({ queryKey: ['labeling'] });

  const advance = useCallback(
    async (rest: Item[]) => {
      if (rest.length > 0) setItems(rest);
      else await load();
    },
    [load],
  );

  const label = useCallback(
    async (value: string) => {
      if (!current || busy) return;
      setBusy(true);
      try {
        await api.labeling.addLabel({ versionId: version.id, row: current.row, annotator, label: value });
        history.current.push(current);
        const now = Date.now();
        times.current.push(now);
        // Labels per minute since the first label of the session (at least 10 s, so one quick label does not read as 600/min).
        const first = times.current[0]!;
        setRate(times.current.length >= 2 ? (times.current.length * 60_000) / Math.max(now - first, 10_000) : null);
        setProgress((p) => (p ? { ...p, mine: p.mine + 1, doneRows: p.doneRows + (current.labelled + 1 >= current.wanted ? 1 : 0) } : p));
        setText('');
        refreshStats();
        await advance(items.slice(1));
      } catch (error) {
        notifyError(t('ui.labeling.tab'), describeError(error, t));
      } finally {
        setBusy(false);
      }
    },
    [current, busy, api, version.id, annotator, items, advance, t],
  );

  const skip = useCallback(async () => {
    if (!current || busy) return;
    skipped.current.push(current.row);
    await advance(items.slice(1));
  }, [current, busy, items, advance]);

  const undo = useCallback(async () => {
    const last = history.current.pop();
    if (!last || busy) return;
    setBusy(true);
    try {
      await api.labeling.removeLabel({ versionId: version.id, row: last.row, annotator });
      times.current.pop();
      setProgress((p) => (p ? { ...p, mine: Math.max(0, p.mine - 1), doneRows: p.doneRows - (last.labelled + 1 >= last.wanted ? 1 : 0) } : p));
      setItems((list) => [last, ...list]);
      notifySuccess(t('ui.labeling.tab'), t('ui.labeling.undone', { row: last.row }));
      refreshStats();
    } catch (error) {
      notifyError(t('ui.labeling.tab'), describeError(error, t));
    } finally {
      setBusy(false);
    }
  }, [busy, api, version.id, annotator, t]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
      if (typing) return;
      const key = e.key.toLowerCase();
      if (schema.kind === 'classes' && /^[1-9]$/.test(key)) {
        const cls = schema.classes[Number(key) - 1];
        if (cls) {
          e.preventDefault();
          void label(cls);
        }
      } else if (key === 's') {
        e.preventDefault();
        void skip();
      } else if (key === 'u') {
        e.preventDefault();
        void undo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [schema, label, skip, undo]);

  const done = progress?.doneRows ?? 0;
  const total = progress?.totalRows ?? version.rowCount;
  return (
    <Stack gap="sm" data-testid="labeling-queue">
      <Group justify="space-between" wrap="wrap">
        <Group gap="md">
          <Badge variant="outline" data-testid="labeling-annotator-badge">
            {t('ui.labeling.annotator')}: {annotator}
          </Badge>
          <Text size="sm" data-testid="labeling-progress">
            {t('ui.labeling.progress', { done, total })}
          </Text>
          <Text size="sm" c="dimmed" data-testid="labeling-mine">
            {t('ui.labeling.mine', { count: progress?.mine ?? 0 })}
          </Text>
          <Text size="sm" c="dimmed" data-testid="labeling-rate">
            {t('ui.labeling.rate', { rate: rate === null ? '—' : rate.toFixed(1) })}
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          {t('ui.labeling.keys')}
        </Text>
      </Group>
      <Progress value={total ? (100 * done) / total : 0} size="sm" data-testid="labeling-progress-bar" />
      {loading && !current ? (
        <Loader size="sm" />
      ) : !current ? (
        <Alert color="green" data-testid="labeling-empty">
          {t('ui.labeling.empty')}
        </Alert>
      ) : (
        <Paper withBorder radius="md" p="md" data-testid="labeling-item" data-row={current.row}>
          <Group justify="space-between" mb="xs">
            <Title order={5}>{t('ui.labeling.queueTitle', { row: current.row })}</Title>
            {current.wanted > 1 && (
              <Badge color="grape" variant="light">
                {t('ui.labeling.overlapRow', { labelled: current.labelled, wanted: current.wanted })}
              </Badge>
            )}
          </Group>
          <Table withRowBorders={false} verticalSpacing={3} maw={900}>
            <Table.Tbody>
              {columns.map((name, i) => (
                <Table.Tr key={name}>
                  <Table.Td w={200} style={{ verticalAlign: 'top' }}>
                    <Text size="sm" c="dimmed">
                      {name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                      {current.values[i] === null ? '—' : String(current.values[i])}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group mt="md" gap="xs">
            {schema.kind === 'classes' ? (
              schema.classes.map((c, i) => (
                <Button key={c} variant="light" disabled={busy} onClick={() => void label(c)} leftSection={i < 9 ? <Kbd size="xs">{i + 1}</Kbd> : undefined} data-testid={`labeling-class-${i + 1}`}>
                  {c}
                </Button>
              ))
            ) : (
              <TextInput
                placeholder={t('ui.labeling.textPlaceholder')}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && text.trim()) void label(text.trim());
                }}
                w={360}
                autoFocus
                data-testid="labeling-text"
              />
            )}
            <Button variant="default" leftSection={<IconPlayerSkipForward size={16} />} onClick={() => void skip()} disabled={busy}>
              {t('ui.labeling.skip')}
            </Button>
            <Button variant="default" leftSection={<IconArrowBackUp size={16} />} onClick={() => void undo()} disabled={busy || history.current.length === 0}>
              {t('ui.labeling.undo')}
            </Button>
            <Button variant="subtle" onClick={onStop}>
              {t('ui.labeling.close')}
            </Button>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}

function StatsView({ datasetId, onOpenVersion }: { datasetId: string; onOpenVersion: (versionId: string) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const stats = useQuery({ queryKey: keys.stats(datasetId), queryFn: () => api.labeling.stats({ datasetId }) });
  const exportLabels = useMutation({
    mutationFn: () => api.labeling.exportLabels({ datasetId }),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.dataset(datasetId) });
      const detail = await queryClient.fetchQuery({ queryKey: queryKeys.dataset(datasetId), queryFn: () => api.catalog.getDataset({ datasetId }) });
      const number = detail.versions.find((v) => v.id === result.versionId)?.number ?? '?';
      notifySuccess(t('ui.labeling.export'), t('ui.labeling.exported', { number, labelled: result.labelledRows }));
      onOpenVersion(result.versionId);
    },
    onError: (error) => notifyError(t('ui.labeling.export'), describeError(error, t)),
  });
  const s = stats.data;
  if (!s || s.labels === 0) return null;
  const fmt = (k: number | null) => (k === null ? '—' : k.toFixed(3));
  return (
    <Paper withBorder radius="md" p="md" data-testid="labeling-stats">
      <Group justify="space-between" align="start" wrap="wrap">
        <Stack gap={4}>
          <Text fw={650}>{t('ui.labeling.counts')}</Text>
          <Group gap="xs">
            {Object.entries(s.counts).map(([k, n]) => (
              <Badge key={k} variant="light" color="gray">
                {k}: {n}
              </Badge>
            ))}
          </Group>
          <Text fw={650} mt="xs">
            {t('ui.labeling.stats')}
          </Text>
          {s.cohenKappa.length === 0 && s.fleissKappa.items === 0 ? (
            <Text size="sm" c="dimmed">
              {t('ui.labeling.noAgreement')}
            </Text>
          ) : (
            <>
              {s.cohenKappa.map((p) => (
                <Text key={`${p.a}/${p.b}`} size="sm">
                  {t('ui.labeling.cohen', { a: p.a, b: p.b, kappa: fmt(p.kappa), items: p.items })}
                </Text>
              ))}
              {s.fleissKappa.items > 0 && <Text size="sm">{t('ui.labeling.fleiss', { kappa: fmt(s.fleissKappa.kappa), items: s.fleissKappa.items, raters: s.fleissKappa.raters })}</Text>}
            </>
          )}
        </Stack>
        <Button leftSection={<IconDownload size={16} />} loading={exportLabels.isPending} onClick={() => exportLabels.mutate()} data-testid="labeling-export">
          {t('ui.labeling.export')}
        </Button>
      </Group>
    </Paper>
  );
}
