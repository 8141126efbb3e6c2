/** How a column type looks: an icon and a localised name. */
import { IconAbc, IconCalendar, IconCalendarTime, IconDecimal, IconNumber123, IconToggleLeft } from '@tabler/icons-react';
import { Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ColumnType } from '../../shared/model/catalog.js';

const ICONS = {
  integer: IconNumber123,
  real: IconDecimal,
  boolean: IconToggleLeft,
  date: IconCalendar,
  datetime: IconCalendarTime,
  text: IconAbc,
} as const;

export const COLUMN_TYPES: readonly ColumnType[] = ['integer', 'real', 'boolean', 'date', 'datetime', 'text'];

export function ColumnTypeIcon({ type, size = 16, withTooltip = false }: { type: ColumnType; size?: number; withTooltip?: boolean }) {
  const { t } = useTranslation();
  const Icon = ICONS[type];
  const icon = <Icon size={size} stroke={1.6} style={{ flex: 'none', color: 'var(--mantine-color-dimmed)' }} aria-label={t(`ui.types.${type}`)} />;
  return withTooltip ? <Tooltip label={t(`ui.types.${type}`)}>{icon}</Tooltip> : icon;
}
