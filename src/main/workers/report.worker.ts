/**
 * Report job: reads the subject from the catalog (read-only), writes it in the document model, lays it out as a PDF
 * with its charts rendered from the shared ECharts options, and writes the file for the service to record.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { runWorker } from '../jobs/worker-runtime.js';
import { openCatalog } from '../catalog/connection.js';
import { prepareReport } from '../reports/index.js';
import { renderPdf } from '../reports/pdf.js';
import { reportFonts } from '../reports/fonts.js';
import type { ReportJobParams, StagedReport } from '../jobs/report-job.js';

runWorker(async (raw, ctx) => {
  const params = raw as ReportJobParams;
  const db = openCatalog(ctx.workspace, { migrate: false, readonly: true });
  try {
    ctx.onProgress(0.05, 'reading the catalog');
    const document = prepareReport(db, params.kind, params.subjectId).document(params.lang, {
      generatedAt: params.generatedAt,
      workspace: params.workspace,
      appVersion: params.appVersion,
    });
    ctx.onProgress(0.3, 'laying out the PDF');
    const pdf = await renderPdf(document, reportFonts(params.appRoot));
    writeFileSync(params.stagingPath, pdf.bytes);
    ctx.onProgress(1, 'done');
    return { pages: pdf.pages, bytes: pdf.bytes.length, sha256: createHash('sha256').update(pdf.bytes).digest('hex') } satisfies StagedReport;
  } finally {
    db.close();
  }
});
