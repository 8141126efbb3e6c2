/** Full-text search of the catalog (FTS5 in the services) and how its hits are shown: matched parts marked. */
import { Badge, Group, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SearchHit, Segment, Sensitivity } from '../../../shared/model/catalog-metadata.js';
import { useApi } from '../../api/index.js';

/** Hits for `text`, best first; keyed under the datasets so catalog changes refresh them. */
export function useCatalogSearch(text: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['catalog', 'datasets', 'search', text],
    queryFn: () => api.metadata.search({ text, limit: 100 }),
    enabled: text.trim() !== '',
    placeholderData: keepPreviousData,
  });
}

export function Highlighted({ segments }: { segments: readonly Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.hit ? (
          <mark key={i} data-testid="search-mark" style={{ background: 'var(--mantine-color-yellow-light)', color: 'inherit', borderRadius: 2, padding: '0 1px' }}>
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

/** Cuts a long field to a window around its first match. */
function around(segments: readonly Segment[], radius = 40): Segment[] {
  const total = segments.reduce((n, s) => n + s.text.length, 0);
  if (total <= radius * 3) return [...segments];
  let offset = 0;
  let first = 0;
  for (const s of segments) {
    if (s.hit) {
      first = offset;
      break;
    }
    offset += s.text.length;
  }
  const from = Math.max(0, first - radius);
  const to = Math.min(total, first + radius * 2);
  const out: Segment[] = [];
  let at = 0;
  for (const s of segments) {
    const start = Math.max(from, at);
    const end = Math.min(to, at + s.text.length);
    if (start < end) out.push({ text: s.text.slice(start - at, end - at), hit: s.hit });
    at += s.text.length;
  }
  if (from > 0) out.unshift({ text: '…', hit: false });
  if (to < total) out.push({ text: '…', hit: false });
  return out;
}

/** The fields of a hit besides its name, each with its matched parts marked. */
export function SearchMatches({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation();
  const others = hit.matches.slice(1);
  if (others.length === 0) return null;
  return (
    <Group gap={6} mt={2} wrap="wrap" data-testid="search-matches">
      {others.slice(0, 6).map((m, i) => (
        <Text key={i} size="xs" c="dimmed" span data-field={m.field}>
          {t(`ui.catalogMetadata.fields.${m.field}`)}: <Highlighted segments={m.field === 'description' ? around(m.segments) : m.segments} />
        </Text>
      ))}
    </Group>
  );
}

export const SENSITIVITY_COLORS: Record<Sensitivity, string> = { public: 'teal', internal: 'blue', confidential: 'orange', restricted: 'red' };

export function SensitivityBadge({ sensitivity }: { sensitivity: Sensitivity | null }) {
  const { t } = useTranslation();
  if (!sensitivity) return null;
  return (
    <Badge size="sm" variant="light" color={SENSITIVITY_COLORS[sensitivity]} data-testid="sensitivity-badge">
      {t(`ui.catalogMetadata.sensitivity.${sensitivity}`)}
    </Badge>
  );
}
