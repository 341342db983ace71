import { readFileSync } from 'node:fs';
import { Template } from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';
import { fromRoot } from '../core/paths';
import { t } from '../locales';
import { localeWords, SCORES } from '../locales/understanding';

/** Teams gets `Action.Execute` (the card updates in place); every other channel `Action.Submit`. */
export type CardChannel = 'msteams' | 'other';

export const RATING_SUBMIT_VERB = 'rating.submit';
/** One face per score, the same in every locale (the labels come from words.json `ratingScale`). */
const FACES = ['😞', '🙁', '😐', '🙂', '😄'] as const;

export const cardChannel = (channelId: string): CardChannel =>
  channelId === 'msteams' ? 'msteams' : 'other';

const templates = new Map<string, Template>();

/** Expands `cards/templates/<name>.json` with `data` into an Adaptive Card object. */
function expand(name: 'rating' | 'ratingThanks', data: Record<string, unknown>): Record<string, unknown> {
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
 * The survey card: five buttons 1–5 with a face and the locale's label; each press carries
 * `{verb: 'rating.submit', episodeId, score}`.
 */
export function ratingCardContent(input: {
  episodeId: string;
  locale: string;
  channel: CardChannel;
}): Record<string, unknown> {
  const labels = localeWords(input.locale).ratingScale;
  return expand('rating', {
    heading: t(input.locale, 'feedback.cardTitle'),
    scale: `1 = ${labels[1]} · 5 = ${labels[5]}`,
    episodeId: input.episodeId,
    execute: input.channel === 'msteams',
    buttons: SCORES.map((score) => ({ score, title: `${score} ${FACES[score - 1]}`, label: labels[score] })),
  });
}

/** The card that replaces the survey card in Teams after a press: "Thanks — you rated 4/5". */
export function ratingThanksContent(input: { locale: string; score: number }): Record<string, unknown> {
  return expand('ratingThanks', {
    text: t(input.locale, 'feedback.cardThanks', { score: input.score }),
    stars: '⭐'.repeat(input.score),
  });
}

export const ratingCard = (input: Parameters<typeof ratingCardContent>[0]): Attachment =>
  CardFactory.adaptiveCard(ratingCardContent(input));
