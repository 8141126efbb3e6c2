// Parser comparison for the bench: Xinzhi's DelimitedParser against papaparse on the same decoded text.
import Papa from 'papaparse';
import { DelimitedParser } from '../../src/main/ingest/csv-parser.js';

export function timeParsers(text: string): { xinzhiMs: number; papaparseMs: number; records: number } {
  let records = 0;
  let t = performance.now();
  const parser = new DelimitedParser(',', 'bench', 64 << 20);
  const chunk = 1 << 20;
  for (let i = 0; i < text.length; i += chunk) {
    parser.push(text.slice(i, i + chunk), i + chunk >= text.length, () => {
      records++;
    });
  }
  const xinzhiMs = performance.now() - t;
  let papaRecords = 0;
  t = performance.now();
  Papa.parse(text, { delimiter: ',', skipEmptyLines: true, step: () => void papaRecords++ });
  const papaparseMs = performance.now() - t;
  if (papaRecords !== records) throw new Error(`parsers disagree: ${records} vs ${papaRecords}`);
  return { xinzhiMs, papaparseMs, records };
}
