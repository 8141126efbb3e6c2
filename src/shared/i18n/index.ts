/** Message catalogues for zh-CN and en, used by the renderer, the CLI and reports. */
import { errorMessages } from './errors.js';
import { cliMessages } from './cli.js';
import { uiMessages } from './ui.js';
import { doctorMessages } from './doctor.js';
import { scenarioMessages } from './scenarios.js';
import { reportsMessages } from './reports.js';
import { fairnessMessages } from './fairness.js';
import { cleaningMessages } from './cleaning.js';
import { qualityMessages } from './quality.js';
import { catalogMetadataMessages } from './catalog-metadata.js';
import { piiLabelingMessages } from './pii-labeling.js';

import { LANGUAGES, type Catalogue, type Language, type Tree } from './types.js';

export { LANGUAGES, type Catalogue, type Language };

/** Deep merge: each area's catalogue file (ui-<area>.ts) may add keys under `ui` or `cli` without touching the others. */
function mergeTree(into: Tree, from: Tree): void {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    if (typeof value !== 'string' && existing !== undefined && typeof existing !== 'string') mergeTree(existing, value);
    else if (typeof value === 'string') into[key] = value;
    else {
      const copy: Tree = {};
      mergeTree(copy, value);
      into[key] = copy;
    }
  }
}

function merge(...parts: Catalogue[]): Catalogue {
  const out: Catalogue = { 'zh-CN': {}, en: {} };
  for (const part of parts) for (const lang of LANGUAGES) mergeTree(out[lang], part[lang]);
  return out;
}

/** Every message, by language, as a nested tree (`errors.E_NOT_FOUND`, `cli.import.done`, `ui.nav.catalog`). */
// Areas add their catalogue (e.g. `governanceMessages` from './governance.js') to this list.
export const messages: Catalogue = merge(errorMessages, cliMessages, uiMessages, doctorMessages, reportsMessages, fairnessMessages, cleaningMessages, qualityMessages, catalogMetadataMessages, piiLabelingMessages, scenarioMessages);

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function lookupKey(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Whether the English catalogue (the complete one) has a message at `key`. */
export function hasKey(key: string): boolean {
  return lookupKey(messages.en, key) !== undefined;
}

/** Translates `key` with `{{name}}` placeholders; falls back to English, then to the key itself. */
export function translate(lang: Language, key: string, params: Record<string, unknown> = {}): string {
  const template = lookupKey(messages[lang], key) ?? lookupKey(messages.en, key) ?? key;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => (name in params ? String(params[name]) : `{{${name}}}`));
}
