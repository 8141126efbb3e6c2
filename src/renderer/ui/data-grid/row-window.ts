/**
 * Fixed-height row windowing for grids of any length, in closed form.
 *
 * Why not a per-item virtualizer for rows: TanStack Virtual keeps a measurement per item (about 24 bytes each),
 * which is 240 MB and a 10-million-step loop for a 10-million-row version, redone whenever a filter changes the
 * count. Rows here all have one height, so the visible window is plain arithmetic, O(1) in the row count.
 *
 * Browsers cap an element's height (Chromium near 33.5 M px, Firefox near 17.9 M px), so past MAX_SCROLL_PX the
 * scrollbar is "stretched": one pixel of real scroll moves `scale` pixels of virtual content. Below the cap,
 * scale is exactly 1 and nothing is stretched. While stretched, the grid moves itself for wheel and keys (by
 * `virtualTop`), so a wheel notch still moves a few rows, not `scale` times as many.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface RowWindowInput {
  totalRows: number;
  rowHeight: number;
  headerHeight: number;
  /** Height of the scroll element's viewport (header included). */
  viewportHeight: number;
  /** The scroll element's real scrollTop. */
  scrollTop: number;
  /**
   * Where the view is in the unstretched content, when known more precisely than `scrollTop × scale` (after a
   * wheel or key step the grid moved itself, which real pixels, rounded, cannot express when stretched).
   */
  virtualTop?: number | null;
  overscan: number;
}

export interface RowWindow {
  /** Height of the scroll content below the header, in real pixels. */
  contentHeight: number;
  /** Virtual pixels per real pixel of scroll (1 unless stretched). */
  scale: number;
  /** The view's top in unstretched content, and its largest value. */
  virtualTop: number;
  maxVirtualTop: number;
  /** First and last row index rendered (inclusive); last < first when there is nothing to render. */
  first: number;
  last: number;
  /** First and last row index actually inside the viewport (no overscan). */
  firstVisible: number;
  lastVisible: number;
  /** Real top offset (in the scroll content) at which row `first` is drawn. */
  layerTop: number;
}

export function computeRowWindow(input: RowWindowInput): RowWindow {
  const { totalRows, rowHeight, headerHeight, viewportHeight, scrollTop, overscan } = input;
  const virtualHeight = totalRows * rowHeight;
  const contentHeight = Math.min(virtualHeight, MAX_SCROLL_PX);
  const realRange = headerHeight + contentHeight - viewportHeight;
  const virtualRange = headerHeight + virtualHeight - viewportHeight;
  const scale = realRange > 0 && virtualRange > realRange ? virtualRange / realRange : 1;
  const maxScroll = Math.max(0, realRange);
  const real = Math.min(Math.max(0, scrollTop), maxScroll);
  const maxVirtualTop = Math.max(0, virtualRange);
  const virtualTop = Math.min(maxVirtualTop, Math.max(0, input.virtualTop ?? real * scale));
  const bodyHeight = Math.max(0, viewportHeight - headerHeight);

  if (totalRows === 0) return { contentHeight, scale, virtualTop: 0, maxVirtualTop: 0, first: 0, last: -1, firstVisible: 0, lastVisible: -1, layerTop: headerHeight };

  const firstVisible = Math.min(totalRows - 1, Math.floor(virtualTop / rowHeight));
  const lastVisible = Math.min(totalRows - 1, Math.max(firstVisible, Math.ceil((virtualTop + bodyHeight) / rowHeight) - 1));
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(totalRows - 1, lastVisible + overscan);
  // Row i sits at virtual y = i * rowHeight below the header; on screen it is (i * rowHeight - virtualTop) below
  // the header, i.e. at real content offset real + headerHeight + (i * rowHeight - virtualTop). `real` is the
  // element's actual scrollTop, so rows land where the browser has scrolled to, rounding included.
  const layerTop = real + headerHeight + (first * rowHeight - virtualTop);
  return { contentHeight, scale, virtualTop, maxVirtualTop, first, last, firstVisible, lastVisible, layerTop };
}
