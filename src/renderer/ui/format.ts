/** Locale-aware formatting of counts, sizes, times and durations, following the UI language. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export interface Formatters {
  locale: string;
  integer(n: number): string;
  decimal(n: number, maxFractionDigits?: number): string;
  percent(fraction: number): string;
  megabytes(bytes: number): string;
  bytes(bytes: number): string;
  dateTime(iso: string | null | undefined): string;
  relative(iso: string | null | undefined): string;
  duration(ms: number): string;
}

export function createFormatters(locale: string): Formatters {
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const decimals = new Map<number, Intl.NumberFormat>();
  const decimal = (n: number, max = 2) => {
    let f = decimals.get(max);
    if (!f) {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: max });
      decimals.set(max, f);
    }
    return f.format(n);
  };
  const parse = (iso: string | null | undefined): Date | null => {
    if (!iso) return null;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  const unit = (value: number, u: string) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);

  return {
    locale,
    integer: (n) => integer.format(n),
    decimal,
    percent: (fraction) => percent.format(fraction),
    megabytes: (bytes) => unit(bytes / 1e6, 'megabyte'),
    bytes: (bytes) => {
      if (bytes < 1e3) return unit(bytes, 'byte');
      if (bytes < 1e6) return unit(bytes / 1e3, 'kilobyte');
      if (bytes < 1e9) return unit(bytes / 1e6, 'megabyte');
      return unit(bytes / 1e9, 'gigabyte');
    },
    dateTime: (iso) => {
      const d = parse(iso);
      return d ? dateTime.format(d) : '';
    },
    relative: (iso) => {
      const d = parse(iso);
      if (!d) return '';
      const seconds = Math.round((d.getTime() - Date.now()) / 1000);
      const abs = Math.abs(seconds);
      if (abs < 45) return relative.format(seconds, 'second');
      if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
      if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
      if (abs < 26 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
      return dateTime.format(d);
    },
    duration: (ms) => {
      const s = Math.max(0, Math.round(ms / 1000));
      if (s < 60) return unit(s, 'second');
      const m = Math.floor(s / 60);
      if (m < 60) return `${unit(m, 'minute')} ${unit(s % 60, 'second')}`;
      return `${unit(Math.floor(m / 60), 'hour')} ${unit(m % 60, 'minute')}`;
    },
  };
}

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const locale = i18n.language || 'en';
  return useMemo(() => createFormatters(locale), [locale]);
}
