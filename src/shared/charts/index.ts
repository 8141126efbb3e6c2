/**
 * Chart definitions shared by screen and paper (DESIGN.md §8): pure functions that turn engine results into Apache
 * ECharts options. The renderer draws them with <EChart option>, the report builder renders the same options to
 * SVG server-side. Plain objects only (no echarts import here, no functions inside options: they must survive
 * JSON and SSR), so a formatter is a template string such as '{value}%'.
 */

/** An ECharts option object (kept loose: ECharts' own types live in the renderer and report layers). */
export type ChartOption = Record<string, unknown>;

export type ChartScheme = 'light' | 'dark';

export interface ChartTheme {
  text: string;
  line: string;
  background: string;
  /** Series colours, in order. */
  palette: string[];
}

export function chartTheme(scheme: ChartScheme): ChartTheme {
  return scheme === 'dark'
    ? { text: '#c9c9c9', line: '#424242', background: 'transparent', palette: ['#748ffc', '#69db7c', '#ffa94d', '#ff8787', '#4dabf7', '#da77f2', '#ffd43b', '#38d9a9'] }
    : { text: '#495057', line: '#e9ecef', background: 'transparent', palette: ['#4c6ef5', '#37b24d', '#f76707', '#f03e3e', '#1c7ed6', '#ae3ec9', '#f59f00', '#0ca678'] };
}

/** The frame every chart shares: no animation (deterministic for reports), theme colours, a grid that fits labels. */
export function baseOption(scheme: ChartScheme): ChartOption {
  const t = chartTheme(scheme);
  return {
    backgroundColor: t.background,
    animation: false,
    color: t.palette,
    textStyle: { color: t.text },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
  };
}
