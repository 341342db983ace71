import { readFile } from 'node:fs/promises';
import { fromRoot } from '../core/paths';
import { kbFileSchema } from './importExport';
import type { KnowledgeBase } from './store';

/** Who the history names as the author of the demo entries. */
export const DEMO_AUTHOR = 'demo';

/**
 * Loads the demo knowledge base (knowledge/demo/kb.json: an internet and phone provider in en, id, pl, nb) when
 * the store is empty (FAQ_SEED_DEMO=true, first start). Returns how many entries this call added (0 when the
 * knowledge base already had entries; instances seeding at once share the entries out, each added once). A
 * malformed demo file fails the start with the reasons.
 */
export async function seedDemo(
  kb: KnowledgeBase,
  file = fromRoot('knowledge/demo/kb.json'),
): Promise<number> {
  const parsed = kbFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    const reasons = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`The demo knowledge base ${file} is not valid: ${reasons.join('; ')}`);
  }
  return kb.seedIfEmpty(parsed.data.entries, DEMO_AUTHOR);
}
