/**
 * The small document model every report is written in: a report is a function `(data, lang) → Section[]`, and one
 * PDF renderer (pdf.ts) lays out any list of sections. Adding a report means writing one such function.
 */
import type { ChartOption } from '../../shared/charts/index.js';
import type { Language } from '../../shared/i18n/index.js';
import type { ReportKind } from '../../shared/model/reports.js';

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  /** Label → value rows (a definition list). */
  | { type: 'keyValue'; rows: [string, string][] }
  /** A table; `align` per column (numbers right-aligned), `widths` as relative weights. */
  | { type: 'table'; columns: string[]; rows: string[][]; align?: ('left' | 'right')[]; widths?: number[] }
  /** An ECharts option from src/shared/charts, drawn as vector SVG. */
  | { type: 'chart'; option: ChartOption; height?: number; caption?: string }
  /** A highlighted remark: a verdict (ok / warn) or a caveat (info). */
  | { type: 'note'; text: string; tone?: 'info' | 'ok' | 'warn' };

export interface Section {
  title: string;
  blocks: Block[];
}

/** Something the report was made from, named on its cover with its hash. */
export interface ReportSource {
  /** e.g. "dataset version", "model" (already translated). */
  role: string;
  id: string;
  label: string;
  sha256: string;
}

export interface ReportDocument {
  kind: ReportKind;
  lang: Language;
  title: string;
  /** The subject's name (dataset, model …), shown on the cover and in every page header. */
  subject: string;
  /** ISO time the report states it was generated at (the `--at` clock when given). */
  generatedAt: string;
  workspace: string;
  appVersion: string;
  sources: ReportSource[];
  sections: Section[];
}
