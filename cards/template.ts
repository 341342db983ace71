import { readFileSync } from 'node:fs';
import { Template } from 'adaptivecards-templating';
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
