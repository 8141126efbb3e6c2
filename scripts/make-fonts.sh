#!/usr/bin/env bash
# Makes the CJK font the app ships (assets/fonts/): Noto Sans SC (SIL OFL 1.1, from @expo-google-fonts/noto-sans-sc)
# subset to what Chinese business text needs, so the PDFs and the UI never draw Chinese as boxes on a machine without
# CJK fonts, at a quarter of the 10 MB full font. Kept: every character of the app's own sources and texts, GB 2312
# (its 6,763 hanzi and symbol rows), CJK punctuation, full-width forms, Latin, Greek, general punctuation, arrows and
# maths. Outside it the UI falls back to system fonts, and the PDF builder to a system or full font (src/main/reports/fonts.ts).
# Needs Debian's python3-fonttools and python3-brotli (apt-get install -y python3-fonttools python3-brotli).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=node_modules/@expo-google-fonts/noto-sans-sc
OUT=assets/fonts
mkdir -p "$OUT"
CHARS=$(mktemp)
trap 'rm -f "$CHARS"' EXIT
python3 - "$CHARS" <<'PY'
import sys, pathlib
chars = set()
# GB 2312: rows 0xA1-0xA9 (symbols, kana, Cyrillic, box drawing) and 0xB0-0xF7 (the hanzi), columns 0xA1-0xFE.
for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode('gb2312'))
        except UnicodeDecodeError:
            pass
# Every character in the app's sources, texts and docs (the i18n catalogues are there).
for root in ('src', 'docs', 'assets/examples'):
    for path in pathlib.Path(root).rglob('*'):
        if path.is_file() and path.suffix in ('.ts', '.tsx', '.md', '.json', '.csv', '.html'):
            chars.update(path.read_text(encoding='utf-8', errors='ignore'))
ranges = [(0x20, 0x24F), (0x370, 0x3FF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2150, 0x218F),
          (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x3000, 0x303F),
          (0x3200, 0x32FF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)]
for a, b in ranges:
    chars.update(chr(c) for c in range(a, b + 1))
chars = sorted(c for c in chars if ord(c) >= 0x20)
pathlib.Path(sys.argv[1]).write_text(','.join('U+%04X' % ord(c) for c in chars))
print(f'make-fonts: {len(chars)} code points', file=sys.stderr)
PY
if command -v pyftsubset >/dev/null; then PYFTSUBSET=(pyftsubset); else PYFTSUBSET=(/usr/bin/python3 -m fontTools.subset); fi
subset() { # in out flavor
  "${PYFTSUBSET[@]}" "$1" --unicodes-file="$CHARS" --output-file="$2" ${3:+--flavor=$3} \
    --layout-features='*' --no-hinting --desubroutinize --name-IDs='*' --name-languages='*' --notdef-outline
}
subset "$SRC/400Regular/NotoSansSC_400Regular.ttf" "$OUT/NotoSansSC-Regular.ttf"
subset "$SRC/700Bold/NotoSansSC_700Bold.ttf" "$OUT/NotoSansSC-Bold.ttf"
subset "$SRC/400Regular/NotoSansSC_400Regular.ttf" "$OUT/NotoSansSC-Regular.woff2" woff2
cp "$SRC/LICENSE_FONT" "$OUT/OFL.txt"
ls -l "$OUT"
