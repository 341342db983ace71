import { RATING_FACES, RATING_SCORES } from '../feedback/types';
import { CardFactory, type Attachment } from 'botbuilder';
import { t } from '../locales';
import { expandTemplate } from './template';
import { localeWords } from '../language/words';

/** Teams gets `Action.Execute` (the card updates in place); every other channel `Action.Submit`. */
export type CardChannel = 'msteams' | 'other';

export const RATING_SUBMIT_VERB = 'rating.submit';

export const cardChannel = (channelId: string): CardChannel =>
  channelId === 'msteams' ? 'msteams' : 'other';

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
  return expandTemplate('rating', {
    heading: t(input.locale, 'feedback.cardTitle'),
    scale: `1 = ${labels[1]} · 5 = ${labels[5]}`,
    episodeId: input.episodeId,
    execute: input.channel === 'msteams',
    buttons: RATING_SCORES.map((score) => ({
      score,
      title: `${score} ${RATING_FACES[score - 1]}`,
      label: labels[score],
    })),
  });
}

/** The card that replaces the survey card in Teams after a press: "Thanks — you rated 4/5". */
export function ratingThanksContent(input: { locale: string; score: number }): Record<string, unknown> {
  return expandTemplate('ratingThanks', {
    text: t(input.locale, 'feedback.cardThanks', { score: input.score }),
    stars: '⭐'.repeat(input.score),
  });
}

export const ratingCard = (input: Parameters<typeof ratingCardContent>[0]): Attachment =>
  CardFactory.adaptiveCard(ratingCardContent(input));
