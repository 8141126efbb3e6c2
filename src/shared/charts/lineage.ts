/**
 * The lineage graph as an ECharts graph: nodes placed in layers left → right by depth (files, then versions, then
 * models, reports …), so the same option draws the same picture on screen and in a PDF.
 */
import type { LineageGraph } from '../model/cleaning.js';
import { baseOption, chartTheme, type ChartOption, type ChartScheme } from './index.js';

export interface LineageChartLabels {
  /** Name of each node kind (file, version, model …) for the legend. */
  kinds?: Record<string, string>;
  /** Text of each relation (import, clean, train …) on the edges. */
  relations?: Record<string, string>;
}

const KIND_ORDER = ['file', 'version', 'model', 'report', 'audit'];
export const LINEAGE_LAYER_WIDTH = 230;
export const LINEAGE_ROW_HEIGHT = 84;

/** x, y of each node: its depth's column, then its place in that column (in the graph's node order), centred. */
export function lineageLayout(graph: LineageGraph): Map<string, { x: number; y: number }> {
  const layers = new Map<number, string[]>();
  for (const n of graph.nodes) layers.set(n.depth, [...(layers.get(n.depth) ?? []), n.id]);
  const tallest = Math.max(1, ...[...layers.values()].map((l) => l.length));
  const out = new Map<string, { x: number; y: number }>();
  for (const [depth, ids] of layers) {
    const offset = ((tallest - ids.length) * LINEAGE_ROW_HEIGHT) / 2;
    ids.forEach((id, i) => out.set(id, { x: depth * LINEAGE_LAYER_WIDTH, y: offset + i * LINEAGE_ROW_HEIGHT }));
  }
  return out;
}

/** Height in pixels that shows the graph's tallest layer without squeezing. */
export function lineageChartHeight(graph: LineageGraph): number {
  const counts = new Map<number, number>();
  for (const n of graph.nodes) counts.set(n.depth, (counts.get(n.depth) ?? 0) + 1);
  return Math.max(260, Math.min(900, 120 + Math.max(1, ...counts.values()) * LINEAGE_ROW_HEIGHT));
}

export function lineageChart(graph: LineageGraph, scheme: ChartScheme, labels: LineageChartLabels = {}): ChartOption {
  const theme = chartTheme(scheme);
  const kinds = [...new Set([...KIND_ORDER.filter((k) => graph.nodes.some((n) => n.kind === k)), ...graph.nodes.map((n) => n.kind)])];
  const position = lineageLayout(graph);
  const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  // ECharts fits the nodes' bounding box into the chart: two invisible corner anchors give that box a margin and a
  // height even when every node sits in one row (a zero-height box stretches the nodes).
  const xs = [...position.values()].map((p) => p.x);
  const ys = [...position.values()].map((p) => p.y);
  const anchor = (id: string, x: number, y: number) => ({ id, name: '', x, y, symbolSize: 0, label: { show: false }, tooltip: { show: false }, silent: true });
  const anchors = [
    anchor('__anchor_start', Math.min(0, ...xs) - LINEAGE_LAYER_WIDTH / 2, Math.min(0, ...ys) - LINEAGE_ROW_HEIGHT),
    anchor('__anchor_end', Math.max(0, ...xs) + LINEAGE_LAYER_WIDTH / 2, Math.max(0, ...ys) + LINEAGE_ROW_HEIGHT),
  ];
  return {
    ...baseOption(scheme),
    legend: { data: kinds.map((k) => labels.kinds?.[k] ?? k), top: 0, textStyle: { color: theme.text } },
    tooltip: { trigger: 'item', confine: true },
    series: [
      {
        type: 'graph',
        layout: 'none',
        roam: true,
        top: 36,
        bottom: 8,
        left: 8,
        right: 8,
        // Small round nodes with their text underneath: ECharts trims an edge by about half the node's size, so
        // with wide boxes the arrowheads would hide under them.
        symbol: 'circle',
        symbolSize: 22,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 11,
        categories: kinds.map((k, i) => ({ name: labels.kinds?.[k] ?? k, itemStyle: { color: theme.palette[i % theme.palette.length] } })),
        label: { show: true, position: 'bottom', distance: 6, color: theme.text, fontSize: 11, lineHeight: 14, overflow: 'truncate', width: 200 },
        edgeLabel: { show: true, fontSize: 10, color: theme.text, formatter: '{c}', position: 'middle', distance: 4 },
        lineStyle: { color: theme.text, opacity: 0.7, width: 1.5, curveness: 0 },
        emphasis: { focus: 'adjacency', lineStyle: { width: 2.5 } },
        data: [...anchors, ...graph.nodes.map((n) => {
          const p = position.get(n.id)!;
          const focus = n.id === graph.focus;
          return {
            id: n.id,
            name: n.id,
            x: p.x,
            y: p.y,
            category: kinds.indexOf(n.kind),
            value: n.detail,
            label: { formatter: `${truncate(n.label, 28)}\n${truncate(n.detail, 30)}`, fontWeight: focus ? 'bold' : 'normal' },
            symbolSize: focus ? 30 : 22,
            itemStyle: focus ? { borderColor: scheme === 'dark' ? '#ffffff' : '#212529', borderWidth: 3 } : { borderWidth: 0 },
            tooltip: { formatter: `${n.label.replace(/[{}]/g, '')}<br/>${n.detail.replace(/[{}]/g, '')}` },
          };
        })],
        links: graph.edges.map((e) => ({ source: e.source, target: e.target, value: labels.relations?.[e.relation] ?? e.relation })),
      },
    ],
  };
}
