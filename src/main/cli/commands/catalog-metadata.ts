/** `xinzhi meta`, `xinzhi search`, `xinzhi glossary`: catalog metadata, full-text search and the glossary from the command line. */
import { Option, type Command } from 'commander';
import { translate } from '../../../shared/i18n/index.js';
import { SENSITIVITIES, type DatasetMetadata, type MetadataUpdate, type SearchHit } from '../../../shared/model/catalog-metadata.js';
import { globals, languageOf, printJson, say, withApp } from '../common.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Pads to a terminal width, counting CJK characters as two columns. */
function padLabel(text: string, width: number): string {
  const shown = [...text].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(1, width - shown));
}

/** `term@column` links a term to a column; a bare term links it to the dataset. */
function parseTermLink(text: string): { term: string; column: string | null } {
  const at = text.lastIndexOf('@');
  return at > 0 ? { term: text.slice(0, at), column: text.slice(at + 1) } : { term: text, column: null };
}

/** A hit's segments with the matched parts between «», for a terminal. */
const marked = (segments: SearchHit['matches'][number]['segments']) => segments.map((s) => (s.hit ? `«${s.text}»` : s.text)).join('');

export function registerCatalogMetadataCommands(program: Command): void {
  program
    .command('meta')
    .description("show or edit a dataset's metadata: description, owner, steward, tags, glossary terms, sensitivity")
    .argument('<datasetId>', 'dataset id (see xinzhi ls)')
    .option('--description <text>', 'description')
    .option('--owner <name>', 'owner')
    .option('--steward <name>', 'data steward')
    .option('--tag <tag>', 'add a tag (repeatable)', collect)
    .option('--untag <tag>', 'remove a tag (repeatable)', collect)
    .option('--term <term[@column]>', 'link a glossary term to the dataset, or to a column with @column (repeatable)', collect)
    .option('--unterm <term[@column]>', 'unlink a glossary term (repeatable)', collect)
    .addOption(new Option('--sensitivity <class>', 'sensitivity class').choices([...SENSITIVITIES, 'none']))
    .action(async (datasetId: string, o: { description?: string; owner?: string; steward?: string; tag?: string[]; untag?: string[]; term?: string[]; unterm?: string[]; sensitivity?: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (_app, api) => {
        let meta: DatasetMetadata = await api.metadata.getMetadata({ datasetId });
        const update: MetadataUpdate = { datasetId };
        if (o.description !== undefined) update.description = o.description;
        if (o.owner !== undefined) update.owner = o.owner;
        if (o.steward !== undefined) update.steward = o.steward;
        if (o.sensitivity !== undefined) update.sensitivity = o.sensitivity === 'none' ? null : (o.sensitivity as MetadataUpdate['sensitivity']);
        if (o.tag || o.untag) {
          const removed = new Set((o.untag ?? []).map((t) => t.toLowerCase()));
          update.tags = [...meta.tags, ...(o.tag ?? [])].filter((t) => !removed.has(t.toLowerCase()));
        }
        if (o.term || o.unterm) {
          const key = (l: { term: string; column: string | null }) => `${l.term.toLowerCase()}@${l.column ?? ''}`;
          const removed = new Set((o.unterm ?? []).map((t) => key(parseTermLink(t))));
          update.terms = [...meta.terms.map(({ term, column }) => ({ term, column })), ...(o.term ?? []).map(parseTermLink)].filter((l) => !removed.has(key(l)));
        }
        if (Object.keys(update).length > 1) meta = await api.metadata.updateMetadata(update);
        if (g.json) {
          printJson(meta);
          return;
        }
        const none = translate(lang, 'cli.catalogMetadata.none');
        const line = (key: string, value: string) => process.stdout.write(`${padLabel(translate(lang, `cli.catalogMetadata.${key}`), 14)} ${value || none}\n`);
        line('description', meta.description);
        line('owner', meta.owner);
        line('steward', meta.steward);
        line('sensitivity', meta.sensitivity ? translate(lang, `ui.catalogMetadata.sensitivity.${meta.sensitivity}`) : '');
        if (meta.suggestedSensitivity) line('suggested', `${translate(lang, `ui.catalogMetadata.sensitivity.${meta.suggestedSensitivity.sensitivity}`)} (${meta.suggestedSensitivity.reason})`);
        line('tags', meta.tags.join(', '));
        line('terms', meta.terms.map((t) => (t.column ? `${t.term} @ ${t.column}` : t.term)).join(', '));
      });
    });

  program
    .command('search')
    .description('full-text search of the catalog: dataset names, descriptions, tags, glossary terms and column names')
    .argument('<text...>', 'words to find (all must match; Chinese text matches anywhere, other words by prefix)')
    .option('--limit <n>', 'most hits to show', '20')
    .action(async (words: string[], o: { limit: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (_app, api) => {
        const hits = await api.metadata.search({ text: words.join(' '), limit: Number(o.limit) });
        if (g.json) {
          printJson({ hits });
          return;
        }
        if (hits.length === 0) say(translate(lang, 'cli.catalogMetadata.noHits'));
        for (const hit of hits) {
          process.stdout.write(`${marked(hit.matches[0]!.segments)}  (${hit.datasetId})\n`);
          for (const m of hit.matches.slice(1)) process.stdout.write(`    ${translate(lang, `ui.catalogMetadata.fields.${m.field}`)}: ${marked(m.segments)}\n`);
        }
      });
    });

  const glossary = program.command('glossary').description('the workspace glossary: business terms and their definitions');
  glossary
    .command('list')
    .description('list the terms, their definitions and where they are used')
    .action(async (_o: unknown, cmd: Command) => {
      const g = globals(cmd);
      await withApp(g, 'cli', async (_app, api) => {
        const terms = await api.metadata.listGlossary({});
        if (g.json) printJson({ terms });
        else for (const t of terms) process.stdout.write(`${t.term}: ${t.definition}${t.links.length ? `  [${t.links.map((l) => (l.column ? `${l.datasetName}.${l.column}` : l.datasetName)).join(', ')}]` : ''}\n`);
      });
    });
  glossary
    .command('set')
    .description('add a term or change its definition')
    .argument('<term>', 'the term')
    .argument('<definition>', 'what it means')
    .option('--rename <newTerm>', 'rename the term (its links follow)')
    .action(async (term: string, definition: string, o: { rename?: string }, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (_app, api) => {
        const saved = await api.metadata.saveTerm(o.rename ? { term: o.rename, definition, previousTerm: term } : { term, definition });
        if (g.json) printJson(saved);
        else say(translate(lang, 'cli.catalogMetadata.termSaved', { term: saved.term }));
      });
    });
  glossary
    .command('rm')
    .description('delete a term (and its links)')
    .argument('<term>', 'the term')
    .action(async (term: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const lang = languageOf(g);
      await withApp(g, 'cli', async (_app, api) => {
        const result = await api.metadata.deleteTerm({ term });
        if (g.json) printJson(result);
        else say(translate(lang, result.deleted ? 'cli.catalogMetadata.termDeleted' : 'cli.catalogMetadata.termMissing', { term }));
      });
    });
}
