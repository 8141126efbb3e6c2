/** The Mantine theme: one primary colour, calm radii, fonts that cover Chinese on every desktop OS. */
import { Badge, createTheme } from '@mantine/core';
import './fonts.css';

/** The shipped CJK font's family name (fonts.css): last, so it only draws what the system fonts cannot. */
export const SHIPPED_CJK_FONT = 'Xinzhi Noto Sans SC';

const sans = [
  '-apple-system',
  'BlinkMacSystemFont',
  '"Segoe UI"',
  '"PingFang SC"',
  '"Hiragino Sans GB"',
  '"Microsoft YaHei"',
  '"Noto Sans CJK SC"',
  '"Noto Sans SC"',
  '"Source Han Sans SC"',
  'Roboto',
  '"Helvetica Neue"',
  'Arial',
  'sans-serif',
  `"${SHIPPED_CJK_FONT}"`,
].join(', ');

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 6, dark: 5 },
  defaultRadius: 'md',
  fontFamily: sans,
  headings: { fontFamily: sans, fontWeight: '650' },
  fontFamilyMonospace: 'ui-monospace, "SFMono-Regular", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace',
  cursorType: 'pointer',
  components: {
    // Sentence case everywhere: upper-case badges shout, and Chinese has no case anyway.
    Badge: Badge.extend({ defaultProps: { tt: 'none' } }),
  },
});
