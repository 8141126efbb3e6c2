/** How the dashboard writes KPI and what-if values in the UI language. */
import type { Kpi, WhatIfControl } from '../../../shared/model/scenarios.js';
import type { Formatters } from '../../ui/format.js';

export function formatKpi(kpi: Pick<Kpi, 'value' | 'format'>, fmt: Formatters): string {
  if (kpi.value === null) return '—';
  switch (kpi.format) {
    case 'percent':
      return `${fmt.decimal(kpi.value * 100, 1)}%`;
    case 'money':
      return fmt.integer(kpi.value);
    case 'count':
      return fmt.integer(kpi.value);
    case 'ratio':
      return fmt.decimal(kpi.value, 3);
    default:
      return fmt.decimal(kpi.value, 1);
  }
}

export function formatControl(control: WhatIfControl, value: number, fmt: Formatters): string {
  if (control.format === 'percent') return `${fmt.integer(value)}%`;
  if (control.format === 'money') return fmt.integer(value);
  return fmt.decimal(value, 2);
}
