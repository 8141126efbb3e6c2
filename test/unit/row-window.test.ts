// The grid's row windowing: closed-form arithmetic that must put the right rows on screen at any row count.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeRowWindow, MAX_SCROLL_PX } from '../../src/renderer/ui/data-grid/row-window.js';

const base = { rowHeight: 32, headerHeight: 36, viewportHeight: 600, overscan: 5 };

describe('computeRowWindow', () => {
  it('is plain arithmetic for a small grid', () => {
    const w = computeRowWindow({ ...base, totalRows: 1000, scrollTop: 3200 });
    expect(w.scale).toBe(1);
    expect(w.contentHeight).toBe(32_000);
    expect(w.firstVisible).toBe(100);
    expect(w.first).toBe(95);
    expect(w.lastVisible).toBe(100 + Math.ceil((600 - 36) / 32) - 1);
  });

  it('stretches the scrollbar for 10 million rows and still reaches the first and the last row', () => {
    const top = computeRowWindow({ ...base, totalRows: 10_000_000, scrollTop: 0 });
    expect(top.contentHeight).toBe(MAX_SCROLL_PX);
    expect(top.scale).toBeGreaterThan(1);
    expect(top.firstVisible).toBe(0);
    const bottom = computeRowWindow({ ...base, totalRows: 10_000_000, scrollTop: 1e12 });
    expect(bottom.lastVisible).toBe(9_999_999);
    expect(bottom.last).toBe(9_999_999);
  });

  it('renders nothing for an empty grid', () => {
    const w = computeRowWindow({ ...base, totalRows: 0, scrollTop: 100 });
    expect(w.last).toBeLessThan(w.first);
  });

  it('always renders the visible rows, in order, with the first visible row at the top of the body', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 100, max: 2000 }),
        (totalRows, fraction, viewportHeight) => {
          const probe = computeRowWindow({ ...base, viewportHeight, totalRows, scrollTop: 0 });
          const maxScroll = Math.max(0, base.headerHeight + probe.contentHeight - viewportHeight);
          const scrollTop = fraction * maxScroll;
          const w = computeRowWindow({ ...base, viewportHeight, totalRows, scrollTop });
          expect(w.first).toBeGreaterThanOrEqual(0);
          expect(w.first).toBeLessThanOrEqual(w.firstVisible);
          expect(w.firstVisible).toBeLessThanOrEqual(w.lastVisible);
          expect(w.lastVisible).toBeLessThanOrEqual(w.last);
          expect(w.last).toBeLessThan(totalRows);
          // Row firstVisible starts at most one row above the body's top edge, and not below it.
          const rowTopOnScreen = w.layerTop + (w.firstVisible - w.first) * base.rowHeight - scrollTop - base.headerHeight;
          expect(rowTopOnScreen).toBeLessThanOrEqual(1e-6);
          expect(rowTopOnScreen).toBeGreaterThan(-base.rowHeight - 1e-6);
          // Enough rows to fill the body (unless the grid is shorter than the viewport).
          const bodyRows = Math.ceil((viewportHeight - base.headerHeight) / base.rowHeight);
          expect(w.lastVisible - w.firstVisible + 1).toBeGreaterThanOrEqual(Math.min(totalRows - w.firstVisible, bodyRows));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
