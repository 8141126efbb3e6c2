// Writes a synthetic CSV for the import benchmark: ints, reals, short texts and dates, deterministic (seeded).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const BENCH_HEADER = ['id', 'quantity', 'price', 'discount', 'city', 'product', 'order_date', 'ship_date', 'rating', 'note'];
export const BENCH_SQL_TYPES = ['INTEGER', 'INTEGER', 'REAL', 'REAL', 'TEXT', 'TEXT', 'TEXT', 'TEXT', 'INTEGER', 'TEXT'];

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

const CITIES = ['Beijing', 'Shanghai', 'Shenzhen', 'Hangzhou', 'Chengdu', 'Wuhan', "Xi'an", 'Nanjing', 'Suzhou', 'Tianjin'];
const PRODUCTS = ['widget', 'gadget', 'sensor', 'motor', 'valve', 'pump', 'bearing', 'gear', 'belt', 'filter'];
const NOTES = ['ok', 'late', 'priority', 'bulk', 'returned', 'gift', 'fragile', 'express'];

export async function generateCsv(path, rows, { seed = 42, noteWords = 1 } = {}) {
  const next = rng(seed);
  const out = createWriteStream(path);
  out.write(`${BENCH_HEADER.join(',')}\n`);
  let chunk = '';
  const day = (n) => {
    const d = new Date(Date.UTC(2020, 0, 1) + n * 86400000);
    return d.toISOString().slice(0, 10);
  };
  for (let i = 1; i <= rows; i++) {
    const od = Math.floor(next() * 1500);
    let note = NOTES[Math.floor(next() * NOTES.length)];
    for (let w = 1; w < noteWords; w++) note += ` ${NOTES[Math.floor(next() * NOTES.length)]}`;
    chunk += `${i},${1 + Math.floor(next() * 50)},${(next() * 1000).toFixed(2)},${next().toFixed(3)},${CITIES[Math.floor(next() * 10)]},${PRODUCTS[Math.floor(next() * 10)]},${day(od)},${day(od + 1 + Math.floor(next() * 10))},${1 + Math.floor(next() * 5)},${note}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await generateCsv(process.argv[2], Number(process.argv[3] ?? 1_000_000), { noteWords: Number(process.argv[4] ?? 1) });
}
