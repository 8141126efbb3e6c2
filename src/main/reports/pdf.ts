/**
 * Lays out a ReportDocument as an A4 PDF with pdfkit: cover (what the report was made from, with hashes), table of
 * contents for long reports, numbered sections, tables that break across pages with their header repeated, charts as
 * vector SVG, and a header and footer on every page (title, subject, generation time, workspace, page x of n).
 * Deterministic: the PDF's dates and ID come from the document's `generatedAt`, so the same document gives the same bytes.
 */
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { translate } from '../../shared/i18n/index.js';
import { renderChartSvg } from './chart-svg.js';
import type { Block, ReportDocument } from './document.js';
import type { FontFile, ReportFonts } from './fonts.js';

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 54, right: 54, top: 70, bottom: 62 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const COLOR = { text: '#212529', dim: '#6c757d', primary: '#3b5bdb', line: '#dee2e6', headerFill: '#f1f3f5', ok: '#2b8a3e', warn: '#e8590c', info: '#1971c2' };
const SIZE = { body: 9.5, small: 8, table: 8.5, h1: 15, h2: 11.5 };
/** Charts are drawn at this many CSS pixels across and scaled to the content width (ECharts' 12 px text ≈ 9.7 pt). */
const CHART_PX = 600;
/** Reports with at least this many sections get a table of contents after the cover. */
const TOC_MIN_SECTIONS = 5;

export interface RenderedPdf {
  bytes: Buffer;
  pages: number;
  /** Where each chart was drawn (1-based page, box in points from the top left), for checks that charts are not blank. */
  charts: { page: number; x: number; y: number; width: number; height: number }[];
}

type FontName = 'regular' | 'bold';

export async function renderPdf(doc: ReportDocument, fonts: ReportFonts): Promise<RenderedPdf> {
  const at = new Date(doc.generatedAt);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: doc.lang,
    displayTitle: true,
    info: { Title: `${doc.title} — ${doc.subject}`, Author: 'Xinzhi Workbench', Creator: `Xinzhi Workbench ${doc.appVersion}`, Producer: 'Xinzhi Workbench (pdfkit)', CreationDate: at, ModDate: at },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });

  const t = (key: string, params?: Record<string, unknown>) => translate(doc.lang, `ui.reports.pdf.common.${key}`, params);
  const fontsUsed = registerFonts(pdf, fonts);
  const charts: RenderedPdf['charts'] = [];
  const setFont = (name: FontName, size: number, text = '') => pdf.font(fontsUsed.pick(name, text)).fontSize(size);
  const bottom = () => PAGE.height - MARGIN.bottom;
  const ensure = (height: number) => {
    if (pdf.y + height > bottom()) pdf.addPage();
  };
  /** Text at the cursor across the content width (pdfkit wraps and breaks pages by itself). */
  const write = (text: string, font: FontName, size: number, color = COLOR.text, options: PDFKit.Mixins.TextOptions = {}) => {
    setFont(font, size, text).fillColor(color).text(text, MARGIN.left, pdf.y, { width: CONTENT_WIDTH, lineGap: 1.5, ...options });
  };

  // Cover.
  pdf.rect(0, 0, PAGE.width, 8).fill(COLOR.primary);
  pdf.y = 120;
  write(t('appName'), 'regular', 11, COLOR.dim);
  pdf.moveDown(0.6);
  write(doc.title, 'bold', 26, COLOR.text);
  pdf.moveDown(0.3);
  write(doc.subject, 'regular', 14, COLOR.primary);
  pdf.moveDown(1.5);
  const coverFacts: [string, string][] = [
    [t('generatedAt'), formatTime(doc.generatedAt)],
    [t('workspace'), doc.workspace],
    [t('language'), doc.lang === 'zh-CN' ? '简体中文 (zh-CN)' : 'English (en)'],
    [t('appVersion'), doc.appVersion],
  ];
  drawKeyValue(coverFacts);
  pdf.moveDown(1);
  write(t('madeFrom'), 'bold', SIZE.h2);
  pdf.moveDown(0.3);
  drawTable({ type: 'table', columns: [t('sourceRole'), t('sourceId'), t('sourceLabel'), 'SHA-256'], rows: doc.sources.map((s) => [s.role, s.id, s.label, s.sha256]), widths: [1.1, 1.3, 1.4, 3.2] }, SIZE.small);
  pdf.moveDown(1);
  write(t('coverNote'), 'regular', SIZE.small, COLOR.dim);

  // Table of contents: a page reserved now, filled once the sections' pages are known.
  const tocPage = doc.sections.length >= TOC_MIN_SECTIONS ? (pdf.addPage(), pdf.bufferedPageRange().count - 1) : null;
  const sectionPages: number[] = [];

  doc.sections.forEach((section, index) => {
    // Each section starts on a fresh page when little room is left, so a heading never sits alone at the bottom.
    const [first, second] = section.blocks;
    const needed = 60 + minHeight(first) + (first?.type === 'heading' ? 24 + minHeight(second) : 0);
    if (index === 0 || pdf.y > MARGIN.top + (bottom() - MARGIN.top) * 0.62 || pdf.y + needed > bottom()) pdf.addPage();
    else pdf.moveDown(1.2);
    sectionPages.push(pdf.bufferedPageRange().count);
    pdf.addNamedDestination(`section-${index + 1}`);
    write(`${index + 1}  ${section.title}`, 'bold', SIZE.h1, COLOR.primary);
    const y = pdf.y + 2;
    pdf.moveTo(MARGIN.left, y).lineTo(MARGIN.left + CONTENT_WIDTH, y).lineWidth(0.8).strokeColor(COLOR.primary).stroke();
    pdf.y = y + 8;
    section.blocks.forEach((block, i) => drawBlock(block, section.blocks[i + 1]));
  });

  if (tocPage !== null) {
    pdf.switchToPage(tocPage);
    pdf.y = MARGIN.top;
    write(t('contents'), 'bold', SIZE.h1, COLOR.primary);
    pdf.moveDown(0.8);
    doc.sections.forEach((section, index) => {
      const label = `${index + 1}  ${section.title}`;
      const page = String(sectionPages[index]);
      const y = pdf.y;
      setFont('regular', 11, label).fillColor(COLOR.text).text(label, MARGIN.left, y, { width: CONTENT_WIDTH - 40, goTo: `section-${index + 1}`, lineBreak: false });
      setFont('regular', 11).text(page, MARGIN.left + CONTENT_WIDTH - 40, y, { width: 40, align: 'right', lineBreak: false });
      pdf.y = y + 22;
    });
  }

  // Header and footer on every page but the cover.
  const { count } = pdf.bufferedPageRange();
  for (let i = 0; i < count; i++) {
    pdf.switchToPage(i);
    const saved = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    if (i > 0) {
      setFont('regular', SIZE.small, doc.title).fillColor(COLOR.dim).text(doc.title, MARGIN.left, 34, { width: CONTENT_WIDTH / 2, lineBreak: false });
      setFont('regular', SIZE.small, doc.subject).text(doc.subject, MARGIN.left + CONTENT_WIDTH / 2, 34, { width: CONTENT_WIDTH / 2, align: 'right', lineBreak: false, ellipsis: true });
      pdf.moveTo(MARGIN.left, 48).lineTo(MARGIN.left + CONTENT_WIDTH, 48).lineWidth(0.5).strokeColor(COLOR.line).stroke();
    }
    const footY = PAGE.height - 40;
    pdf.moveTo(MARGIN.left, footY - 6).lineTo(MARGIN.left + CONTENT_WIDTH, footY - 6).lineWidth(0.5).strokeColor(COLOR.line).stroke();
    const left = `${t('appName')} · ${t('generatedAt')} ${formatTime(doc.generatedAt)} · ${t('workspace')} ${doc.workspace}`;
    setFont('regular', 7, left).fillColor(COLOR.dim).text(left, MARGIN.left, footY, { width: CONTENT_WIDTH - 90, lineBreak: false, ellipsis: true });
    const pageLabel = t('pageOf', { page: i + 1, pages: count });
    setFont('regular', 7, pageLabel).text(pageLabel, MARGIN.left + CONTENT_WIDTH - 90, footY, { width: 90, align: 'right', lineBreak: false });
    pdf.page.margins.bottom = saved;
  }

  pdf.end();
  await ended;
  return { bytes: Buffer.concat(chunks), pages: count, charts };

  /** Room a block needs at least, so a heading is never left at the bottom of a page without what it introduces. */
  function minHeight(block: Block | undefined): number {
    if (!block) return 0;
    if (block.type === 'chart') return (block.height ?? 240) * (CONTENT_WIDTH / CHART_PX) + (block.caption ? 16 : 0);
    return block.type === 'paragraph' ? 30 : 44;
  }

  function drawBlock(block: Block, next: Block | undefined): void {
    switch (block.type) {
      case 'heading':
        ensure(36 + minHeight(next));
        pdf.moveDown(0.5);
        write(block.text, 'bold', SIZE.h2);
        pdf.moveDown(0.3);
        break;
      case 'paragraph':
        write(block.text, 'regular', SIZE.body);
        pdf.moveDown(0.5);
        break;
      case 'keyValue':
        drawKeyValue(block.rows);
        pdf.moveDown(0.6);
        break;
      case 'table':
        drawTable(block, SIZE.table);
        pdf.moveDown(0.6);
        break;
      case 'note':
        drawNote(block.text, block.tone ?? 'info');
        break;
      case 'chart':
        drawChart(block.option, block.height ?? 240, block.caption);
        break;
    }
  }

  function drawKeyValue(rows: [string, string][]): void {
    const labelWidth = CONTENT_WIDTH * 0.32;
    for (const [label, value] of rows) {
      setFont('regular', SIZE.body, value);
      const h = Math.max(pdf.heightOfString(value, { width: CONTENT_WIDTH - labelWidth - 8 }), setFont('regular', SIZE.body, label).heightOfString(label, { width: labelWidth - 8 })) + 5;
      ensure(h);
      const y = pdf.y;
      setFont('regular', SIZE.body, label).fillColor(COLOR.dim).text(label, MARGIN.left, y + 2, { width: labelWidth - 8 });
      setFont('regular', SIZE.body, value).fillColor(COLOR.text).text(value, MARGIN.left + labelWidth, y + 2, { width: CONTENT_WIDTH - labelWidth - 8 });
      pdf.moveTo(MARGIN.left, y + h).lineTo(MARGIN.left + CONTENT_WIDTH, y + h).lineWidth(0.4).strokeColor(COLOR.line).stroke();
      pdf.y = y + h + 1;
    }
  }

  function drawTable(table: Extract<Block, { type: 'table' }>, size: number): void {
    const weights = table.widths ?? table.columns.map(() => 1);
    const total = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => (w / total) * CONTENT_WIDTH);
    const pad = 3.5;
    const rowHeight = (cells: string[], font: FontName) =>
      Math.max(...cells.map((cell, c) => setFont(font, size, cell).heightOfString(cell || ' ', { width: widths[c]! - 2 * pad }))) + 2 * pad;
    const drawRow = (cells: string[], font: FontName, fill: string | null) => {
      const h = rowHeight(cells, font);
      const y = pdf.y;
      if (fill) pdf.rect(MARGIN.left, y, CONTENT_WIDTH, h).fill(fill);
      let x = MARGIN.left;
      cells.forEach((cell, c) => {
        setFont(font, size, cell).fillColor(COLOR.text).text(cell, x + pad, y + pad, { width: widths[c]! - 2 * pad, align: table.align?.[c] ?? 'left' });
        x += widths[c]!;
      });
      pdf.moveTo(MARGIN.left, y + h).lineTo(MARGIN.left + CONTENT_WIDTH, y + h).lineWidth(0.4).strokeColor(COLOR.line).stroke();
      pdf.y = y + h;
    };
    const header = () => drawRow(table.columns, 'bold', COLOR.headerFill);
    ensure(rowHeight(table.columns, 'bold') + (table.rows[0] ? rowHeight(table.rows[0], 'regular') : 0));
    header();
    for (const row of table.rows) {
      if (pdf.y + rowHeight(row, 'regular') > bottom()) {
        pdf.addPage();
        header();
      }
      drawRow(row, 'regular', null);
    }
    if (table.rows.length === 0) drawRow(table.columns.map((_, i) => (i === 0 ? '—' : '')), 'regular', null);
  }

  function drawNote(text: string, tone: 'info' | 'ok' | 'warn'): void {
    const color = COLOR[tone];
    const h = setFont('regular', SIZE.body, text).heightOfString(text, { width: CONTENT_WIDTH - 20 }) + 12;
    ensure(h);
    const y = pdf.y;
    pdf.rect(MARGIN.left, y, CONTENT_WIDTH, h).fillOpacity(0.07).fill(color).fillOpacity(1);
    pdf.rect(MARGIN.left, y, 3, h).fill(color);
    setFont('regular', SIZE.body, text).fillColor(COLOR.text).text(text, MARGIN.left + 12, y + 6, { width: CONTENT_WIDTH - 20 });
    pdf.y = y + h + 8;
  }

  function drawChart(option: Record<string, unknown>, heightPx: number, caption?: string): void {
    const scale = CONTENT_WIDTH / CHART_PX;
    const height = heightPx * scale;
    ensure(height + (caption ? 16 : 0));
    const y = pdf.y;
    const svg = renderChartSvg(option, CHART_PX, heightPx);
    SVGtoPDF(pdf, svg, MARGIN.left, y, {
      width: CONTENT_WIDTH,
      height,
      preserveAspectRatio: 'xMinYMin meet',
      fontCallback: (_family, bold) => fontsUsed.pick(bold ? 'bold' : 'regular', ''),
    });
    charts.push({ page: pdf.bufferedPageRange().count, x: MARGIN.left, y, width: CONTENT_WIDTH, height });
    pdf.y = y + height + 4;
    if (caption) {
      write(caption, 'regular', SIZE.small, COLOR.dim, { align: 'center' });
    }
    pdf.moveDown(0.6);
  }
}

/** `2026-03-01 08:30:00 UTC`: the same in every time zone and language, so reports stay comparable. */
export function formatTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Registers the shipped fonts and the fallbacks; `pick` chooses a font that has every character of a text. */
function registerFonts(pdf: PDFKit.PDFDocument, fonts: ReportFonts) {
  const register = (name: string, file: FontFile) => (file.face ? pdf.registerFont(name, file.path, file.face) : pdf.registerFont(name, file.path));
  register('regular', fonts.regular);
  register('bold', fonts.bold);
  const coverage = new Map<string, (cp: number) => boolean>();
  const coverageOf = (name: string): ((cp: number) => boolean) => {
    let has = coverage.get(name);
    if (!has) {
      pdf.font(name);
      const font = (pdf as unknown as { _font: { font?: { hasGlyphForCodePoint(cp: number): boolean } } })._font.font;
      has = font ? (cp: number) => font.hasGlyphForCodePoint(cp) : () => true;
      coverage.set(name, has);
    }
    return has;
  };
  const fallbackNames: string[] = [];
  return {
    pick(name: FontName, text: string): string {
      const covers = (font: string) => {
        const has = coverageOf(font);
        for (const ch of text) {
          const cp = ch.codePointAt(0)!;
          if (cp > 0x20 && !has(cp)) return false;
        }
        return true;
      };
      if (covers(name)) return name;
      for (let i = 0; i < fonts.fallbacks.length; i++) {
        const fallback = `fallback-${i}`;
        if (!fallbackNames.includes(fallback)) {
          try {
            register(fallback, fonts.fallbacks[i]!);
            fallbackNames.push(fallback);
          } catch {
            continue;
          }
        }
        if (covers(fallback)) return fallback;
      }
      return name;
    },
  };
}
