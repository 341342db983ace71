import { readFileSync } from 'node:fs';
import { Template } from 'adaptivecards-templating';
import { escapeMarkdown } from '../core/markdown';
import { fromRoot } from '../core/paths';

const templates = new Map<string, Template>();

/** Expands `cards/templates/<name>.json` with `data` (the template's `$root`) into an Adaptive Card object. */
export function expandTemplate(name: string, data: Record<string, unknown>): Record<string, unknown> {
  let template = templates.get(name);
  if (!template) {
    const json: unknown = JSON.parse(readFileSync(fromRoot('cards', 'templates', `${name}.json`), 'utf8'));
    template = new Template(json);
    templates.set(name, template);
  }
  const card: unknown = template.expand({ $root: data });
  if (typeof card !== 'object' || card === null || Array.isArray(card)) {
    throw new Error(`cards/templates/${name}.json did not expand to a card`);
  }
  return { ...card };
}

/**
 * A FactSet row of a card whose value comes from someone else (an e-mail address or phone number a customer typed,
 * a display name from the Teams directory): Teams renders FactSet values (and TextBlocks) as markdown, so the value
 * is escaped and shows as written, never as a link or bold text. `TextRun`s show text literally and need none;
 * message parameters are escaped by `t`.
 */
export function writtenFact(label: string, value: string): { label: string; value: string } {
  return { label, value: escapeMarkdown(value) };
}
