/**
 * Fonts for the PDFs: the Noto Sans SC subset shipped in assets/fonts (scripts/make-fonts.sh) for every text, so
 * Chinese renders on any machine. A string with a character outside the subset is drawn in the first fallback that
 * has it all: the full Noto Sans SC of the npm package (development installs), then common system CJK fonts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface FontFile {
  path: string;
  /** Face name inside a collection (.ttc). */
  face?: string;
}

export interface ReportFonts {
  regular: FontFile;
  bold: FontFile;
  fallbacks: FontFile[];
}

const SYSTEM_CJK: FontFile[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc', face: 'AR PL UMing CN' },
  { path: '/System/Library/Fonts/PingFang.ttc', face: 'PingFangSC-Regular' },
  { path: 'C:\\Windows\\Fonts\\msyh.ttc', face: 'MicrosoftYaHei' },
  { path: 'C:\\Windows\\Fonts\\simsun.ttc', face: 'SimSun' },
];

/** The shipped fonts under `<appRoot>/assets/fonts`, with the fallbacks present on this machine. */
export function reportFonts(appRoot: string): ReportFonts {
  const dir = join(appRoot, 'assets', 'fonts');
  const regular = join(dir, 'NotoSansSC-Regular.ttf');
  if (!existsSync(regular)) throw new Error(`the report font is missing: ${regular} (run scripts/make-fonts.sh)`);
  const full = join(appRoot, 'node_modules', '@expo-google-fonts', 'noto-sans-sc', '400Regular', 'NotoSansSC_400Regular.ttf');
  return {
    regular: { path: regular },
    bold: { path: join(dir, 'NotoSansSC-Bold.ttf') },
    fallbacks: [{ path: full }, ...SYSTEM_CJK].filter((f) => existsSync(f.path)),
  };
}
