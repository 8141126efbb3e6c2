/**
 * Canvas text does not follow CSS: ECharts draws with its own `fontFamily` (plain `sans-serif` by default), which on a
 * machine without CJK fonts draws Chinese as boxes. Charts use the page's own font stack instead, whose last family
 * is the CJK font the app ships, and redraw once web fonts have loaded.
 */
import { useEffect, useState } from 'react';

export function appFontFamily(): string {
  return typeof document === 'undefined' ? 'sans-serif' : getComputedStyle(document.body).fontFamily || 'sans-serif';
}

/** A number that changes when the document's web fonts finish loading, to redraw canvas text with them. */
export function useFontsLoaded(): number {
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const fonts = typeof document === 'undefined' ? undefined : document.fonts;
    if (!fonts) return;
    let live = true;
    const bump = () => live && setGeneration((g) => g + 1);
    void fonts.ready.then(bump);
    fonts.addEventListener('loadingdone', bump);
    return () => {
      live = false;
      fonts.removeEventListener('loadingdone', bump);
    };
  }, []);
  return generation;
}

/** The option with the page's font stack as ECharts' global text font (kept if the option names its own). */
export function withAppFont<T extends Record<string, unknown>>(option: T): T {
  const textStyle = (option.textStyle ?? {}) as Record<string, unknown>;
  if (textStyle.fontFamily) return option;
  return { ...option, textStyle: { ...textStyle, fontFamily: appFontFamily() } };
}
