/**
 * The import dialog: pick or drop a file, see what the sniffer found (encoding, delimiter, header, column types,
 * sample rows), override any of it, name the dataset, and start the import job.
 */
import { useEffect, useRef, useState } from 'react';
import {
  Alert, Badge, Button, Checkbox, Group, Loader, Modal, NumberInput, ScrollArea, Select, SimpleGrid, Stack, Table, TagsInput, Text, TextInput, Textarea,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconAlertTriangle, IconFileImport, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ColumnType, Delimiter, Encoding } from '../../../shared/model/catalog.js';
import { describeError, mergeJob, queryKeys, useApi, useHost } from '../../api/index.js';
import { COLUMN_TYPES, ColumnTypeIcon } from '../../ui/column-type.js';
import { useFormat } from '../../ui/format.js';
import { notifyError } from '../../ui/notify.js';
import { useJobsPanel } from '../jobs/index.js';

type HeaderMode = 'auto' | 'yes' | 'no';
/** The formats whose own choices the dialog offers (sheet and header rows; table or query); the rest read as CSV. */
type SourceKind = 'csv' | 'xlsx' | 'json' | 'parquet' | 'sqlite';
function sourceKindOf(fileName: string): SourceKind {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'xlsx' || ext === 'xlsm' || ext === 'xls') return 'xlsx';
  if (ext === 'json' || ext === 'ndjson' || ext === 'jsonl') return 'json';
  if (ext === 'parquet' || ext === 'pq') return 'parquet';
  if (ext === 'db' || ext === 'sqlite' || ext === 'sqlite3') return 'sqlite';
  return 'csv';
}
const ENCODINGS: readonly Encoding[] = ['auto', 'utf-8', 'gb18030', 'gbk', 'utf-16le', 'utf-16be'];
const DELIMITERS: readonly { value: Delimiter; key: string }[] = [
  { value: 'auto', key: 'auto' },
  { value: ',', key: 'comma' },
  { value: ';', key: 'semicolon' },
  { value: '\t', key: 'tab' },
  { value: '|', key: 'pipe' },
];
const SAMPLE_ROWS_SHOWN = 8;
/** Markers some files use for "unknown" beyond the ones always read as missing (empty, NA, NULL, NaN…). */
const NA_SUGGESTIONS = ['?', '-', '--', '.', 'missing', 'unknown', '无', '未知', '空'];

export interface ImportDialogProps {
  opened: boolean;
  /** A file dropped elsewhere, to start with. */
  initialFile: File | null;
  onClose: () => void;
}

type Stage = { kind: 'choose' } | { kind: 'uploading'; file: File } | { kind: 'ready'; file: File; path: string } | { kind: 'error'; file: File | null; message: string };

export function ImportDialog({ opened, initialFile, onClose }: ImportDialogProps) {
  const { t } = useTranslation();
  const host = useHost();
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const attempt = useRef(0);

  const accept = async (file: File) => {
    const mine = ++attempt.current;
    setStage({ kind: 'uploading', file });
    try {
      const path = await host.resolveImportPath(file);
      if (attempt.current === mine) setStage({ kind: 'ready', file, path });
    } catch (err) {
      if (attempt.current === mine) setStage({ kind: 'error', file, message: describeError(err, t) });
    }
  };

  useEffect(() => {
    if (!opened) {
      attempt.current++;
      setStage({ kind: 'choose' });
    } else if (initialFile) {
      void accept(initialFile);
    }
    // `accept` only reads refs and setters, so it is deliberately left out of the dependencies.
  }, [opened, initialFile]);

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size={stage.kind === 'ready' ? 'min(1100px, 95vw)' : 'lg'}
      title={
        <Group gap="xs">
          <IconFileImport size={20} />
          <Text fw={650}>{t('ui.import.title')}</Text>
        </Group>
      }
      data-testid="import-dialog"
    >
      {stage.kind === 'choose' && <FilePicker onFile={accept} />}
      {stage.kind === 'uploading' && (
        <Group gap="sm" py="xl" justify="center" data-testid="import-uploading">
          <Loader size="sm" />
          <Text size="sm">{t(host.mode === 'browser' ? 'ui.import.uploading' : 'ui.import.reading', { file: stage.file.name })}</Text>
        </Group>
      )}
      {stage.kind === 'error' && (
        <Stack>
          <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('ui.import.failedTitle')} data-testid="import-error">
            {stage.message}
          </Alert>
          <FilePicker onFile={accept} compact />
        </Stack>
      )}
      {stage.kind === 'ready' && <ImportOptionsForm key={stage.path} file={stage.file} path={stage.path} onChooseAnother={() => setStage({ kind: 'choose' })} onStarted={onClose} />}
    </Modal>
  );
}

function FilePicker({ onFile, compact = false }: { onFile: (file: File) => void; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <Dropzone
      onDrop={(files) => {
        const file = files[0];
        if (file) onFile(file);
      }}
      multiple={false}
      useFsAccessApi={false}
      inputProps={{ 'data-testid': 'import-file-input' } as React.InputHTMLAttributes<HTMLInputElement>}
      data-testid="import-dropzone"
      p={compact ? 'md' : 'xl'}
    >
      <Group justify="center" gap="lg" mih={compact ? 60 : 160} style={{ pointerEvents: 'none' }}>
        <Dropzone.Accept>
          <IconUpload size={44} stroke={1.5} color="var(--mantine-primary-color-filled)" />
        </Dropzone.Accept>
        <Dropzone.Idle>
          <IconFileSpreadsheet size={44} stroke={1.5} color="var(--mantine-color-dimmed)" />
        </Dropzone.Idle>
        <div>
          <Text size="lg" fw={600}>
            {t('ui.import.dropTitle')}
          </Text>
          <Text size="sm" c="dimmed" mt={4}>
            {t('ui.import.dropHint')}
          </Text>
        </div>
      </Group>
    </Dropzone>
  );
}

function baseName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot > 0 ? fileName.slice(0, dot) : fileName).slice(0, 200);
}

function ImportOptionsForm({ file, path, onChooseAnother, onStarted }: { file: File; path: string; onChooseAnother: () => void; onStarted: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const jobsPanel = useJobsPanel();
  const [encoding, setEncoding] = useState<Encoding>('auto');
  const [delimiter, setDelimiter] = useState<Delimiter>('auto');
  const [header, setHeader] = useState<HeaderMode>('auto');
  const [name, setName] = useState(baseName(file.name));
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [naValues, setNaValues] = useState<string[]>([]);
  const [types, setTypes] = useState<Record<string, ColumnType>>({});
  const [starting, setStarting] = useState(false);
  const kind = sourceKindOf(file.name);
  // Excel: sheet and header rows; SQLite: a table, or a query once applied.
  const [sheet, setSheet] = useState<string | null>(null);
  const [headerRow, setHeaderRow] = useState<number | null>(null);
  const [headerRows, setHeaderRows] = useState<string>('auto');
  const [table, setTable] = useState<string | null>(null);
  const [queryText, setQueryText] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const source = {
    ...(kind === 'xlsx' && sheet ? { sheet } : {}),
    ...(kind === 'xlsx' && headerRow ? { headerRow } : {}),
    ...(kind === 'xlsx' && headerRows !== 'auto' ? { headerRows: Number(headerRows) } : {}),
    ...(kind === 'sqlite' && query ? { query } : kind === 'sqlite' && table ? { table } : {}),
  };

  const preview = useQuery({
    queryKey: ['catalog', 'preview', path, encoding, delimiter, header, source],
    queryFn: () => api.catalog.previewImport({ path, encoding, delimiter, header, ...source }),
    staleTime: Infinity,
    retry: false,
    placeholderData: kind === 'csv' ? undefined : (previous) => previous,
  });
  const data = preview.data;
  const columnsKey = data?.columns.map((c) => c.name).join('\u0000') ?? '';
  // A different header or delimiter gives different columns: forget overrides made for the old ones.
  useEffect(() => setTypes({}), [columnsKey]);

  const start = async () => {
    if (!data) return;
    setStarting(true);
    try {
      const columnTypes: Record<string, ColumnType> = {};
      for (const column of data.columns) {
        const chosen = types[column.name];
        if (chosen && chosen !== column.type) columnTypes[column.name] = chosen;
      }
      const { jobId } = await api.catalog.importFile({ path, name: name.trim() || baseName(file.name), encoding, delimiter, header, skipBadRows, columnTypes, naValues, ...source });
      try {
        mergeJob(queryClient, await api.jobs.getJob({ jobId }));
      } catch {
        // The job's own events will fill the list in.
      }
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs });
      onStarted();
      jobsPanel.open();
    } catch (err) {
      notifyError(t('ui.import.failedTitle'), describeError(err, t));
    } finally {
      setStarting(false);
    }
  };

  const encodingData = ENCODINGS.map((e) => ({ value: e, label: e === 'auto' ? t('ui.import.auto') : e.toUpperCase() }));
  const delimiterData = DELIMITERS.map((d) => ({ value: d.value, label: t(`ui.import.delimiters.${d.key}`) }));
  const headerData = (['auto', 'yes', 'no'] as const).map((h) => ({ value: h, label: t(`ui.import.headerModes.${h}`) }));
  const typeData = COLUMN_TYPES.map((ty) => ({ value: ty, label: t(`ui.types.${ty}`) }));
  const detectedDelimiter = DELIMITERS.find((d) => d.value === data?.delimiter)?.key;

  return (
    <Stack gap="md" data-testid="import-preview">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <IconFileSpreadsheet size={20} style={{ flex: 'none' }} />
          <Text fw={600} truncate="end">
            {file.name}
          </Text>
          <Text size="sm" c="dimmed" style={{ flex: 'none' }}>
            {fmt.bytes(data?.sizeBytes ?? file.size)}
          </Text>
        </Group>
        <Button variant="subtle" size="xs" onClick={onChooseAnother}>
          {t('ui.import.chooseAnother')}
        </Button>
      </Group>

      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
        <TextInput label={t('ui.import.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} data-testid="import-name" required />
        {kind === 'csv' ? (
          <>
            <Select
              label={t('ui.import.encoding')}
              data={encodingData}
              value={encoding}
              onChange={(v) => v && setEncoding(v as Encoding)}
              allowDeselect={false}
              description={data ? t('ui.import.detected', { value: data.encoding.toUpperCase() }) : ' '}
              data-testid="import-encoding"
            />
            <Select
              label={t('ui.import.delimiter')}
              data={delimiterData}
              value={delimiter}
              onChange={(v) => v !== null && setDelimiter(v as Delimiter)}
              allowDeselect={false}
              description={detectedDelimiter ? t('ui.import.detected', { value: t(`ui.import.delimiters.${detectedDelimiter}`) }) : ' '}
              data-testid="import-delimiter"
            />
            <Select
              label={t('ui.import.header')}
              data={headerData}
              value={header}
              onChange={(v) => v && setHeader(v as HeaderMode)}
              allowDeselect={false}
              description={data ? t('ui.import.detected', { value: t(data.hasHeader ? 'ui.import.headerModes.yes' : 'ui.import.headerModes.no') }) : ' '}
              data-testid="import-header"
            />
          </>
        ) : kind === 'xlsx' ? (
          <>
            <Select
              label={t('ui.catalogMetadata.import.sheet')}
              data={data?.sheets ?? (sheet ? [sheet] : [])}
              value={sheet ?? (typeof data?.details.sheet === 'string' ? data.details.sheet : null)}
              onChange={(v) => v && setSheet(v)}
              allowDeselect={false}
              description={data?.sheets ? t('ui.catalogMetadata.import.sheetCount', { count: data.sheets.length }) : ' '}
              data-testid="import-sheet"
              comboboxProps={{ withinPortal: true }}
            />
            <NumberInput
              label={t('ui.catalogMetadata.import.headerRow')}
              placeholder={typeof data?.details.headerRow === 'number' ? String(data.details.headerRow) : t('ui.import.auto')}
              value={headerRow ?? ''}
              onChange={(v) => setHeaderRow(typeof v === 'number' && v >= 1 ? v : null)}
              min={1}
              allowDecimal={false}
              description={t('ui.catalogMetadata.import.headerRowHint')}
              data-testid="import-header-row"
            />
            <Select
              label={t('ui.catalogMetadata.import.headerRows')}
              data={['auto', '1', '2', '3'].map((v) => ({ value: v, label: v === 'auto' ? t('ui.import.auto') : v }))}
              value={headerRows}
              onChange={(v) => v && setHeaderRows(v)}
              allowDeselect={false}
              description={typeof data?.details.headerRows === 'number' ? t('ui.import.detected', { value: String(data.details.headerRows) }) : ' '}
              data-testid="import-header-rows"
              comboboxProps={{ withinPortal: true }}
            />
          </>
        ) : kind === 'sqlite' ? (
          <Select
            label={t('ui.catalogMetadata.import.table')}
            data={data?.tables ?? (table ? [table] : [])}
            value={query ? null : table ?? (typeof data?.details.table === 'string' ? data.details.table : null)}
            onChange={(v) => {
              setTable(v);
              setQuery(null);
            }}
            placeholder={t('ui.catalogMetadata.import.chooseTable')}
            description={data?.tables ? t('ui.catalogMetadata.import.tableCount', { count: data.tables.length }) : ' '}
            data-testid="import-table"
            comboboxProps={{ withinPortal: true }}
          />
        ) : (
          <Text size="sm" c="dimmed" mt="lg">
            {t(`ui.catalogMetadata.import.formatNote.${kind}`)}
          </Text>
        )}
      </SimpleGrid>
      {kind === 'sqlite' && (
        <Group align="flex-end" gap="sm" wrap="nowrap">
          <Textarea
            label={t('ui.catalogMetadata.import.query')}
            description={t('ui.catalogMetadata.import.queryHint')}
            placeholder="SELECT * FROM table WHERE …"
            value={queryText}
            onChange={(e) => setQueryText(e.currentTarget.value)}
            autosize
            minRows={2}
            maxRows={6}
            style={{ flex: 1 }}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-testid="import-query"
          />
          <Button variant="light" onClick={() => setQuery(queryText.trim() || null)} disabled={(queryText.trim() || null) === query} data-testid="import-query-apply">
            {t('ui.catalogMetadata.import.runQuery')}
          </Button>
        </Group>
      )}

      {preview.isError ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('ui.import.previewFailed')} data-testid="import-error">
          {describeError(preview.error, t)}
        </Alert>
      ) : !data ? (
        <Group justify="center" py="xl">
          <Loader size="sm" />
        </Group>
      ) : (
        <>
          {data.columns.length === 0 && kind === 'sqlite' && (
            <Alert color="blue" data-testid="import-choose-table">
              {t('ui.catalogMetadata.import.chooseTableHint')}
            </Alert>
          )}
          <Group gap="xs">
            <Badge variant="light">{t('ui.import.columnCount', { count: data.columns.length, n: fmt.integer(data.columns.length) })}</Badge>
            <Text size="xs" c="dimmed">
              {t('ui.import.typesHint')}
            </Text>
          </Group>
          <ScrollArea type="auto" offsetScrollbars scrollbarSize={8}>
            <Table withTableBorder withColumnBorders striped="even" fz="xs" verticalSpacing={4} horizontalSpacing="xs" data-testid="import-sample" style={{ whiteSpace: 'nowrap' }}>
              <Table.Thead>
                <Table.Tr>
                  {data.columns.map((column) => (
                    <Table.Th key={column.name} miw={130}>
                      <Stack gap={4}>
                        <Group gap={4} wrap="nowrap">
                          <ColumnTypeIcon type={types[column.name] ?? column.type} size={14} />
                          <Text size="xs" fw={650} truncate="end" title={column.sourceName ?? column.name}>
                            {column.name}
                          </Text>
                        </Group>
                        <Select
                          size="xs"
                          data={typeData}
                          value={types[column.name] ?? column.type}
                          onChange={(v) => v && setTypes((prev) => ({ ...prev, [column.name]: v as ColumnType }))}
                          allowDeselect={false}
                          aria-label={t('ui.import.columnType', { column: column.name })}
                          data-testid={`import-type-${column.name}`}
                          comboboxProps={{ withinPortal: true }}
                        />
                      </Stack>
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.sampleRows.slice(0, SAMPLE_ROWS_SHOWN).map((row, r) => (
                  <Table.Tr key={r}>
                    {data.columns.map((column, c) => {
                      const v = row[c];
                      return (
                        <Table.Td key={column.name} maw={260} style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                          {v === null || v === undefined ? (
                            <Text span size="xs" c="dimmed" fs="italic">
                              {t('ui.grid.null')}
                            </Text>
                          ) : (
                            v
                          )}
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </>
      )}

      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <Group align="flex-end" gap="xl">
          <TagsInput
            label={t('ui.import.naValues')}
            description={t('ui.import.naValuesHint')}
            data={NA_SUGGESTIONS}
            value={naValues}
            onChange={setNaValues}
            clearable
            w={340}
            comboboxProps={{ withinPortal: true }}
            data-testid="import-na-values"
          />
          <Checkbox
            label={t('ui.import.skipBadRows')}
            description={t('ui.import.skipBadRowsHint')}
            checked={skipBadRows}
            onChange={(e) => setSkipBadRows(e.currentTarget.checked)}
            maw={340}
            mb={4}
            data-testid="import-skip-bad-rows"
          />
        </Group>
        <Button leftSection={<IconFileImport size={16} />} onClick={start} loading={starting} disabled={!data || data.columns.length === 0 || preview.isPlaceholderData || !name.trim()} data-testid="import-start">
          {t('ui.import.start')}
        </Button>
      </Group>
    </Stack>
  );
}
