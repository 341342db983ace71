import { ratingCardContent, ratingThanksContent } from '../../cards/ratingCard';
import { t } from '../../locales';
import { localeWords } from '../../language/words';

const LOCALES = ['en', 'id', 'pl', 'nb'];

interface Action {
  type: string;
  verb?: string;
  title: string;
  tooltip: string;
  data: { verb: string; episodeId: string; score: number };
}

describe.each(LOCALES)('rating cards in %s', (locale) => {
  it.each(['other', 'msteams'] as const)('when built for %s, then nothing is left unexpanded', (channel) => {
    const card = ratingCardContent({ episodeId: 'ep-"1"', locale, channel });
    expect(JSON.stringify(card)).not.toContain('${');
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    const actions = card.actions as Action[];
    expect(actions.map((a) => a.data)).toEqual(
      [1, 2, 3, 4, 5].map((score) => ({ verb: 'rating.submit', episodeId: 'ep-"1"', score })),
    );
    expect(actions.map((a) => a.tooltip)).toEqual(Object.values(localeWords(locale).ratingScale));
    expect(actions.every((a) => a.title.startsWith(String(a.data.score)))).toBe(true);
  });

  it('when built for Teams, then the buttons are Action.Execute with the verb; elsewhere Action.Submit', () => {
    const teams = ratingCardContent({ episodeId: 'e', locale, channel: 'msteams' }).actions as Action[];
    const web = ratingCardContent({ episodeId: 'e', locale, channel: 'other' }).actions as Action[];
    expect(teams.every((a) => a.type === 'Action.Execute' && a.verb === 'rating.submit')).toBe(true);
    expect(web.every((a) => a.type === 'Action.Submit' && a.verb === undefined)).toBe(true);
  });

  it('when the thanks card is built, then it says the score in the locale', () => {
    const card = ratingThanksContent({ locale, score: 4 });
    expect(JSON.stringify(card)).not.toContain('${');
    expect(JSON.stringify(card)).toContain(
      JSON.stringify(t(locale, 'feedback.cardThanks', { score: 4 })).slice(1, -1),
    );
    expect(JSON.stringify(card)).toContain('⭐⭐⭐⭐"');
  });
});
