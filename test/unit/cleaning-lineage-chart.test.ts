// The lineage chart builder: deterministic left-to-right layers, plain JSON options (PDF reports render them too).
import { describe, expect, it } from 'vitest';
import { lineageChart, lineageLayout, lineageChartHeight, LINEAGE_LAYER_WIDTH } from '../../src/shared/charts/lineage.js';
import { layerDepths } from '../../src/main/services/lineage-service.js';
import type { LineageGraph } from '../../src/shared/model/cleaning.js';

const node = (id: string, kind: string, depth: number) => ({ id, kind, entityId: id, label: id, detail: kind, createdAt: null, depth });
const graph: LineageGraph = {
  focus: 'version:b',
  truncated: false,
  nodes: [node('file:f', 'file', 0), node('version:a', 'version', 1), node('version:b', 'version', 2), node('version:c', 'version', 2), node('model:m', 'model', 3)],
  edges: [
    { source: 'file:f', target: 'version:a', relation: 'import' },
    { source: 'version:a', target: 'version:b', relation: 'clean' },
    { source: 'version:a', target: 'version:c', relation: 'anonymise' },
    { source: 'version:b', target: 'model:m', relation: 'train' },
  ],
};

describe('lineage chart', () => {
  it('places each node in its depth column, in order, centred on the tallest column', () => {
    const p = lineageLayout(graph);
    expect(p.get('file:f')!.x).toBe(0);
    expect(p.get('model:m')!.x).toBe(3 * LINEAGE_LAYER_WIDTH);
    expect(p.get('version:b')!.y).toBeLessThan(p.get('version:c')!.y);
    expect(p.get('version:a')!.y).toBe((p.get('version:b')!.y + p.get('version:c')!.y) / 2);
    expect(lineageChartHeight(graph)).toBeGreaterThanOrEqual(260);
  });

  it('is plain JSON, the same every time, with translated kinds and relations', () => {
    const option = lineageChart(graph, 'dark', { kinds: { version: '版本' }, relations: { clean: '清洗' } });
    expect(JSON.parse(JSON.stringify(option))).toEqual(option);
    expect(lineageChart(graph, 'dark', { kinds: { version: '版本' }, relations: { clean: '清洗' } })).toEqual(option);
    const series = (option.series as { data: { id: string }[]; links: { value: string }[]; categories: { name: string }[] }[])[0]!;
    expect(series.data.filter((d) => !d.id.startsWith('__anchor'))).toHaveLength(5);
    expect(series.links.map((l) => l.value)).toEqual(['import', '清洗', 'anonymise', 'train']);
    expect(series.categories.map((c) => c.name)).toEqual(['file', '版本', 'model']);
  });

  it('layers nodes by their longest path from a source, and survives a cycle', () => {
    const depths = layerDepths(['a', 'b', 'c', 'd'], [
      { source: 'a', target: 'b', relation: 'x' },
      { source: 'b', target: 'c', relation: 'x' },
      { source: 'a', target: 'c', relation: 'x' },
      { source: 'c', target: 'd', relation: 'x' },
    ]);
    expect(Object.fromEntries(depths)).toEqual({ a: 0, b: 1, c: 2, d: 3 });
    const cyclic = layerDepths(['a', 'b'], [{ source: 'a', target: 'b', relation: 'x' }, { source: 'b', target: 'a', relation: 'x' }]);
    expect(cyclic.size).toBe(2);
  });
});
