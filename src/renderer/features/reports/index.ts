/** PDF reports in the UI: the "Export PDF" button other pages place beside what a report describes. */
export { ExportReportButton, type ExportReportButtonProps } from './export-report-button.js';
