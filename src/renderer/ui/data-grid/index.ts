/** The virtualized, server-paged data grid. */
export { DataGrid, isNumericType, type DataGridProps, type DataGridPage, type GridSort, type Cell } from './data-grid.js';
export { computeRowWindow, MAX_SCROLL_PX, type RowWindow } from './row-window.js';
