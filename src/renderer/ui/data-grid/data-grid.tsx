/**
 * A virtualized, server-paged data grid. Rows come from `fetchPage(page)` in pages of `pageSize`, fetched only when
 * they scroll into view (debounced while the user drags the scrollbar) and cached by react-query under
 * `[...queryKey, page]`; the scroll height comes from `totalRows` alone, so 10 million rows cost what 100 do.
 * Rows use closed-form fixed-height windowing (see row-window.ts); columns, which vary in width and are few, use
 * TanStack Virtual. Sorting and filtering happen on the server: the grid only reports header clicks.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { Loader, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Column, ColumnType } from '../../../shared/model/catalog.js';
import { computeRowWindow, type RowWindow } from './row-window.js';
import { ColumnTypeIcon } from '../column-type.js';
import { useFormat } from '../format.js';
import classes from './data-grid.module.css';

export type Cell = string | number | null;
export interface DataGridPage {
  rows: Cell[][];
  totalRows: number;
}
export interface GridSort {
  column: string;
  direction: 'asc' | 'desc';
}

export interface DataGridProps {
  /** Identifies the rows shown (source + sort + filters + search); page p is cached under `[...queryKey, p]`. */
  queryKey: readonly unknown[];
  /** When this changes the grid scrolls back to the top (a new sort, filter or search). */
  resetKey: string;
  /** When this changes the column widths are computed again (another version). */
  layoutKey: string;
  columns: Column[];
  totalRows: number;
  pageSize: number;
  fetchPage: (page: number) => Promise<DataGridPage>;
  sort: GridSort | null;
  onSortChange: (sort: GridSort | null) => void;
  /** Extra controls in a header cell (a filter button, say); clicks on them do not sort. */
  renderHeaderActions?: (column: Column) => ReactNode;
  describeError: (err: unknown) => string;
  /** Shown instead of rows when there are none. */
  empty?: ReactNode;
  loading?: boolean;
  /** Fixed height; without it the grid grows to fill a flex column. */
  height?: number | string;
}

const ROW_HEIGHT = 32;
const HEADER_HEIGHT = 38;
const OVERSCAN_ROWS = 8;
const FETCH_DEBOUNCE_MS = 70;

export function isNumericType(type: ColumnType): boolean {
  return type === 'integer' || type === 'real';
}

function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) > 0x2e80 ? 14 : 7.4;
  return w;
}

/** A real that happens to be whole still reads as a real (309.0, not 309), as in the source file. */
function cellText(value: Cell, type: Column['type']): string {
  return type === 'real' && typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(1) : String(value);
}

function initialWidths(columns: Column[], sample: Cell[][] | undefined): number[] {
  return columns.map((column, c) => {
    // Header text is bold and shares the cell with the type, sort and filter icons.
    const header = textWidth(column.name) * 1.15 + 84;
    let content = 0;
    if (sample) {
      for (let r = 0; r < Math.min(sample.length, 200); r++) {
        const v = sample[r]?.[c];
        if (v !== null && v !== undefined) content = Math.max(content, textWidth(String(v)));
      }
    }
    const byType = column.type === 'datetime' ? 170 : column.type === 'date' ? 110 : 70;
    return Math.round(Math.min(380, Math.max(byType, header, content + 24)));
  });
}

export function DataGrid(props: DataGridProps) {
  const { queryKey, resetKey, layoutKey, columns, totalRows, pageSize, fetchPage, sort, onSortChange, renderHeaderActions, describeError } = props;
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const scrollRef = useRef<HTMLDivElement>(null);
  // The real scrollTop, and (when the grid moved itself while stretched) the exact virtual position.
  const [pos, setPos] = useState<{ scrollTop: number; virtualTop: number | null }>({ scrollTop: 0, virtualTop: null });
  const expected = useRef<{ scrollTop: number; virtualTop: number } | null>(null);
  /** The virtual position as of the latest event, ahead of React's render (keys can repeat faster than frames). */
  const virtualNow = useRef(0);
  /** The latest window, for event handlers registered once. */
  const winRef = useRef<Pick<RowWindow, 'scale' | 'virtualTop' | 'maxVirtualTop'>>({ scale: 1, virtualTop: 0, maxVirtualTop: 0 });
  const [viewportHeight, setViewportHeight] = useState(0);

  // Column widths: guessed once per version from the header, the type and the first page, then resizable.
  const firstPage = queryClient.getQueryData<DataGridPage>([...queryKey, 0]);
  const [layout, setLayout] = useState<{ key: string; widths: number[] } | null>(null);
  const layoutReady = layout?.key === layoutKey && layout.widths.length === columns.length;
  useEffect(() => {
    if (layoutReady || (!firstPage && totalRows > 0)) return;
    setLayout({ key: layoutKey, widths: initialWidths(columns, firstPage?.rows) });
  }, [layoutKey, layoutReady, columns, firstPage, totalRows]);
  const widths = layoutReady ? layout.widths : initialWidths(columns, firstPage?.rows);

  const rowNumberWidth = Math.max(56, Math.ceil(String(totalRows).length * 7.5 * 1.35) + 20);

  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: columns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => widths[i] ?? 120,
    paddingStart: rowNumberWidth,
    overscan: 3,
  });
  useEffect(() => {
    columnVirtualizer.measure();
  }, [columnVirtualizer, widths, rowNumberWidth]);
  const virtualColumns = columnVirtualizer.getVirtualItems();
  const totalWidth = columnVirtualizer.getTotalSize();

  // Viewport size and vertical scroll position.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    setViewportHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setViewportHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const mine = expected.current;
    expected.current = null;
    // A scroll we caused keeps its exact virtual position; any other (scrollbar drag, touch) is taken as it is.
    const virtualTop = mine && Math.abs(el.scrollTop - mine.scrollTop) <= 1.5 ? mine.virtualTop : null;
    virtualNow.current = virtualTop ?? el.scrollTop * winRef.current.scale;
    setPos((prev) => (prev.scrollTop === el.scrollTop && prev.virtualTop === virtualTop ? prev : { scrollTop: el.scrollTop, virtualTop }));
  }, []);
  useEffect(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = 0;
    expected.current = null;
    virtualNow.current = 0;
    setPos({ scrollTop: 0, virtualTop: null });
  }, [resetKey]);

  const win = computeRowWindow({
    totalRows,
    rowHeight: ROW_HEIGHT,
    headerHeight: HEADER_HEIGHT,
    viewportHeight,
    scrollTop: pos.scrollTop,
    virtualTop: pos.virtualTop,
    overscan: OVERSCAN_ROWS,
  });
  winRef.current = win;

  // While stretched, wheel and keys move the view by virtual pixels (a notch is a few rows, as in a short table).
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const moveBy = (dy: number) => {
      const w = winRef.current;
      const next = Math.min(w.maxVirtualTop, Math.max(0, virtualNow.current + dy));
      virtualNow.current = next;
      const target = next / w.scale;
      const before = el.scrollTop;
      expected.current = { scrollTop: target, virtualTop: next };
      el.scrollTop = target;
      if (Math.abs(el.scrollTop - before) < 0.5) {
        // The real position did not change (a step smaller than a pixel): no scroll event will come.
        expected.current = null;
        setPos({ scrollTop: el.scrollTop, virtualTop: next });
      }
    };
    const onWheel = (e: WheelEvent) => {
      if (winRef.current.scale <= 1 || e.ctrlKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) return;
      e.preventDefault();
      const unit = e.deltaMode === 1 ? ROW_HEIGHT : e.deltaMode === 2 ? el.clientHeight - HEADER_HEIGHT : 1;
      moveBy(e.deltaY * unit);
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (winRef.current.scale <= 1 || e.target !== el || e.altKey || e.metaKey || e.ctrlKey) return;
      const page = Math.max(ROW_HEIGHT, el.clientHeight - HEADER_HEIGHT - ROW_HEIGHT);
      const steps: Record<string, number> = {
        ArrowDown: ROW_HEIGHT,
        ArrowUp: -ROW_HEIGHT,
        PageDown: page,
        PageUp: -page,
        ' ': e.shiftKey ? -page : page,
        Home: -Infinity,
        End: Infinity,
      };
      const dy = steps[e.key];
      if (dy === undefined) return;
      e.preventDefault();
      moveBy(Number.isFinite(dy) ? dy : dy > 0 ? winRef.current.maxVirtualTop : -winRef.current.maxVirtualTop);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    el.addEventListener('keydown', onKeyDown);
    return () => {
      el.removeEventListener('wheel', onWheel);
      el.removeEventListener('keydown', onKeyDown);
    };
  }, []);

  // Pages under the window; asked for only once the window has rested a moment, so a scrollbar dragged across
  // ten million rows does not queue thousands of requests.
  const wantedPages = useMemo(() => {
    if (win.last < win.first) return [] as number[];
    const pages: number[] = [];
    for (let p = Math.floor(win.first / pageSize); p <= Math.floor(win.last / pageSize); p++) pages.push(p);
    return pages;
  }, [win.first, win.last, pageSize]);
  const wantedKey = wantedPages.join(',');
  const [requestedPages, setRequestedPages] = useState<number[]>(wantedPages);
  const requestedKey = requestedPages.join(',');
  useEffect(() => {
    if (wantedKey === requestedKey) return;
    const timer = setTimeout(() => setRequestedPages(wantedPages), requestedKey === '' ? 0 : FETCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [wantedKey, requestedKey, wantedPages]);

  const pageQueries = useQueries({
    queries: requestedPages.map((page) => ({
      queryKey: [...queryKey, page],
      queryFn: () => fetchPage(page),
      staleTime: Infinity,
      gcTime: 60_000,
    })),
  });
  const failed = pageQueries.find((q) => q.isError);

  const pageData = (page: number): DataGridPage | undefined => queryClient.getQueryData<DataGridPage>([...queryKey, page]);

  const rows: ReactNode[] = [];
  for (let i = win.first; i <= win.last; i++) {
    const page = Math.floor(i / pageSize);
    const cells = pageData(page)?.rows[i - page * pageSize];
    rows.push(
      <GridRow
        key={i}
        index={i}
        label={fmt.integer(i + 1)}
        cells={cells}
        columns={columns}
        virtualColumns={virtualColumns}
        rowNumberWidth={rowNumberWidth}
        nullText={t('ui.grid.null')}
      />,
    );
  }

  const leftPad = (virtualColumns[0]?.start ?? rowNumberWidth) - rowNumberWidth;

  return (
    <div className={classes.root} style={props.height === undefined ? { flex: '1 1 auto' } : { height: props.height }}>
      <div
        ref={scrollRef}
        className={classes.scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="grid"
        aria-rowcount={totalRows + 1}
        aria-colcount={columns.length}
        aria-busy={props.loading || pageQueries.some((q) => q.isFetching)}
        data-testid="data-grid"
        data-total-rows={totalRows}
        data-first-visible-row={win.firstVisible}
      >
        <div className={classes.content} style={{ height: HEADER_HEIGHT + win.contentHeight, width: totalWidth }}>
          <div className={classes.header} style={{ height: HEADER_HEIGHT, width: totalWidth }} role="row" aria-rowindex={1}>
            <div className={classes.rowNumber} style={{ width: rowNumberWidth }}>
              #
            </div>
            {leftPad > 0 && <div style={{ width: leftPad, flex: 'none' }} />}
            {virtualColumns.map((vc) => {
              const column = columns[vc.index]!;
              return (
                <HeaderCell
                  key={column.name}
                  column={column}
                  width={vc.size}
                  sort={sort?.column === column.name ? sort.direction : null}
                  onSort={() => {
                    const next: GridSort | null =
                      sort?.column !== column.name
                        ? { column: column.name, direction: 'asc' }
                        : sort.direction === 'asc'
                          ? { column: column.name, direction: 'desc' }
                          : null;
                    onSortChange(next);
                  }}
                  onResize={(width) =>
                    setLayout((prev) => {
                      const base = prev?.key === layoutKey ? prev.widths.slice() : widths.slice();
                      base[vc.index] = width;
                      return { key: layoutKey, widths: base };
                    })
                  }
                  actions={renderHeaderActions?.(column)}
                  sortLabel={t('ui.grid.sortHint')}
                />
              );
            })}
          </div>
          <div className={classes.layer} style={{ transform: `translateY(${win.layerTop}px)`, width: totalWidth }}>
            {rows}
          </div>
        </div>
      </div>
      {(props.loading || (totalRows === 0 && props.empty) || failed) && (
        <div className={classes.overlay} style={{ top: HEADER_HEIGHT }}>
          {props.loading ? (
            <Loader size="sm" />
          ) : failed ? (
            <div role="alert" style={{ pointerEvents: 'auto', color: 'var(--mantine-color-red-filled)', padding: 16 }}>
              {describeError(failed.error)}
            </div>
          ) : (
            <div style={{ pointerEvents: 'auto' }}>{props.empty}</div>
          )}
        </div>
      )}
    </div>
  );
}

interface HeaderCellProps {
  column: Column;
  width: number;
  sort: 'asc' | 'desc' | null;
  onSort: () => void;
  onResize: (width: number) => void;
  actions: ReactNode;
  sortLabel: string;
}

function HeaderCell({ column, width, sort, onSort, onResize, actions, sortLabel }: HeaderCellProps) {
  const numeric = isNumericType(column.type);
  const [resizing, setResizing] = useState(false);
  const startResize = (e: React.PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const startWidth = width;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    setResizing(true);
    const move = (ev: PointerEvent) => onResize(Math.max(56, Math.min(1200, startWidth + ev.clientX - startX)));
    const up = () => {
      setResizing(false);
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  };
  const SortIcon = sort === 'asc' ? IconArrowUp : sort === 'desc' ? IconArrowDown : IconSelector;
  return (
    <div
      className={classes.headerCell}
      style={{ width }}
      role="columnheader"
      aria-sort={sort === 'asc' ? 'ascending' : sort === 'desc' ? 'descending' : 'none'}
      data-numeric={numeric || undefined}
      data-testid={`grid-header-${column.name}`}
      data-sort={sort ?? 'none'}
      onClick={onSort}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSort();
        }
      }}
      tabIndex={0}
    >
      <Tooltip label={`${column.name} · ${sortLabel}`} openDelay={600} withinPortal>
        <span className={classes.headerName}>{column.name}</span>
      </Tooltip>
      <ColumnTypeIcon type={column.type} size={14} />
      <SortIcon size={14} stroke={1.8} style={{ flex: 'none', opacity: sort ? 1 : 0.4 }} />
      {actions && (
        <span onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()} style={{ display: 'flex', flex: 'none' }}>
          {actions}
        </span>
      )}
      <div className={classes.resizer} data-active={resizing || undefined} onPointerDown={startResize} onClick={(e) => e.stopPropagation()} />
    </div>
  );
}

interface GridRowProps {
  index: number;
  label: string;
  cells: Cell[] | undefined;
  columns: Column[];
  virtualColumns: VirtualItem[];
  rowNumberWidth: number;
  nullText: string;
}

const GridRow = memo(function GridRow({ index, label, cells, columns, virtualColumns, rowNumberWidth, nullText }: GridRowProps) {
  const leftPad = (virtualColumns[0]?.start ?? rowNumberWidth) - rowNumberWidth;
  return (
    <div
      className={classes.row}
      style={{ height: ROW_HEIGHT }}
      role="row"
      aria-rowindex={index + 2}
      data-row-index={index}
      data-loaded={cells ? 'true' : 'false'}
    >
      <div className={classes.rowNumber} style={{ width: rowNumberWidth }} role="rowheader">
        {label}
      </div>
      {leftPad > 0 && <div style={{ width: leftPad, flex: 'none' }} />}
      {virtualColumns.map((vc) => {
        const column = columns[vc.index]!;
        const value = cells?.[vc.index];
        const numeric = isNumericType(column.type);
        return (
          <div key={vc.key} className={classes.cell} style={{ width: vc.size }} role="gridcell" data-col={column.name} data-numeric={numeric || undefined}>
            {!cells ? (
              <span className={classes.skeleton} />
            ) : value === null || value === undefined ? (
              <span className={`${classes.cellText} ${classes.null}`} data-null="true">
                {nullText}
              </span>
            ) : (
              <span className={classes.cellText} title={String(value).length > 24 ? String(value) : undefined}>
                {cellText(value, column.type)}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
});
