import { MAX_COMMENT_LENGTH } from '../../feedback/service';
import type { RatingCommentDoc, RatingDoc, SurveyDoc } from '../../feedback/types';
import { DAY, MINUTE, openFeedback, surveyInput, type FeedbackFixture } from './setup';
import { itExpiresByManualClock } from '../helpers/testDatabase';

let fx: FeedbackFixture;
beforeEach(async () => {
  fx = await openFeedback();
});
afterEach(async () => {
  await fx.db.close();
});

const ratings = () => fx.db.collection<RatingDoc>('ratings').find({});
const survey = (id: string) => fx.db.collection<SurveyDoc>('surveys').findOne({ _id: id });
const comments = () => fx.db.collection<RatingCommentDoc>('ratingComments').find({});

describe('FeedbackService surveys', () => {
  it('when the survey of an episode is sent twice, then only the first is recorded', async () => {
    const input = surveyInput();
    expect(await fx.feedback.openSurvey(input)).toEqual({ opened: true });
    expect(await fx.feedback.openSurvey({ ...input, agentId: 'someone-else' })).toEqual({ opened: false });
    expect(await fx.db.collection('surveys').countDocuments({})).toBe(1);
    expect((await survey(input.episodeId))?.agentId).toBeUndefined();
  });

  it('when the agent changes after the survey is sent, then the rating keeps the agent of send time', async () => {
    const input = surveyInput({ resolution: 'agent', agentId: 'agent-anna', caseId: 'case-1' });
    await fx.feedback.openSurvey(input);
    // Later the case is reassigned; the rating must not look the agent up again.
    fx.clock.advance(5 * MINUTE);
    await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score: 5 });
    const [rating] = await ratings();
    expect(rating).toMatchObject({ agentId: 'agent-anna', resolution: 'agent', score: 5 });
  });

  it('when the customer gives no usable answer, then the survey is recorded as no response', async () => {
    const input = surveyInput();
    await fx.feedback.openSurvey(input);
    await fx.feedback.markNoResponse(input.episodeId);
    expect((await survey(input.episodeId))?.status).toBe('no-response');
  });
});

describe('FeedbackService submit', () => {
  it.each([
    [0, 'refused'],
    [1, 'stored'],
    [5, 'stored'],
    [6, 'refused'],
    [-1, 'refused'],
    [4.5, 'refused'],
    [Number.NaN, 'refused'],
  ] as const)('when the score is %p, then the submission is %s', async (score, outcome) => {
    const input = surveyInput();
    await fx.feedback.openSurvey(input);
    expect(
      await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score }),
    ).toBe(outcome);
    expect(await ratings()).toHaveLength(outcome === 'stored' ? 1 : 0);
  });

  it('when the stored rating has its full record, then it carries the survey facts', async () => {
    const input = surveyInput({ locale: 'pl', channel: 'msteams', faqEntryId: 'faq-7' });
    await fx.feedback.openSurvey(input);
    await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score: 4 });
    const [rating] = await ratings();
    expect(rating).toEqual({
      _id: input.episodeId,
      episodeId: input.episodeId,
      conversationId: input.conversationId,
      score: 4,
      locale: 'pl',
      channel: 'msteams',
      resolution: 'self-service',
      faqEntryId: 'faq-7',
      createdAt: fx.clock.now(),
      updatedAt: fx.clock.now(),
    });
    expect((await survey(input.episodeId))?.status).toBe('answered');
  });

  it('when the same score is submitted again, then nothing changes', async () => {
    const input = surveyInput();
    await fx.feedback.openSurvey(input);
    const rate = () =>
      fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score: 3 });
    expect(await rate()).toBe('stored');
    fx.clock.advance(3 * DAY);
    expect(await rate()).toBe('unchanged');
    const all = await ratings();
    expect(all).toHaveLength(1);
    expect(all[0]?.updatedAt).toEqual(all[0]?.createdAt);
  });

  it('when a different score comes within the change window, then it replaces the first', async () => {
    const input = surveyInput();
    await fx.feedback.openSurvey(input);
    await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score: 2 });
    fx.clock.advance(59 * MINUTE);
    expect(
      await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score: 4 }),
    ).toBe('changed');
    expect((await ratings()).map((r) => r.score)).toEqual([4]);
  });

  it('when a different score comes after the change window, then it is too late', async () => {
    const input = surveyInput();
    await fx.feedback.openSurvey(input);
    await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score: 2 });
    fx.clock.advance(60 * MINUTE);
    expect(
      await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score: 4 }),
    ).toBe('too-late');
    expect((await ratings()).map((r) => r.score)).toEqual([2]);
  });

  it('when someone else than the surveyed customer rates, then it is refused', async () => {
    const input = surveyInput();
    await fx.feedback.openSurvey(input);
    expect(await fx.feedback.submit({ episodeId: input.episodeId, customerId: 'intruder', score: 1 })).toBe(
      'refused',
    );
    expect(
      await fx.feedback.submit({ episodeId: 'no-such-episode', customerId: input.customerId, score: 5 }),
    ).toBe('refused');
    expect(await ratings()).toHaveLength(0);
  });

  it('when two submissions of one episode race, then one rating is stored', async () => {
    const input = surveyInput();
    await fx.feedback.openSurvey(input);
    const outcomes = await Promise.all(
      [5, 5, 5].map((score) =>
        fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score }),
      ),
    );
    expect(outcomes.sort()).toEqual(['stored', 'unchanged', 'unchanged']);
    expect(await ratings()).toHaveLength(1);
  });

  it('when a customer rates after being recorded as no response, then the late answer counts', async () => {
    const input = surveyInput();
    await fx.feedback.openSurvey(input);
    await fx.feedback.markNoResponse(input.episodeId);
    expect(
      await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score: 4 }),
    ).toBe('stored');
    expect((await survey(input.episodeId))?.status).toBe('answered');
  });
});

describe('FeedbackService comments', () => {
  async function rated(score = 2) {
    const input = surveyInput();
    await fx.feedback.openSurvey(input);
    await fx.feedback.submit({ episodeId: input.episodeId, customerId: input.customerId, score });
    return input;
  }

  it('when a comment has HTML, then the tags are removed and the text kept', async () => {
    const input = await rated();
    const text = 'The <b>router</b> still drops<script>alert(1)</script> every hour';
    expect(
      await fx.feedback.comment({ episodeId: input.episodeId, customerId: input.customerId, text }),
    ).toBe('stored');
    expect((await comments())[0]?.text).toBe('The router still drops every hour');
  });

  it('when a comment is very long, then it is cut to the maximum length', async () => {
    const input = await rated();
    await fx.feedback.comment({
      episodeId: input.episodeId,
      customerId: input.customerId,
      text: 'ą'.repeat(5000),
    });
    expect((await comments())[0]?.text).toHaveLength(MAX_COMMENT_LENGTH);
  });

  itExpiresByManualClock(
    'when the retention has passed, then the comment is gone and the score stays',
    async () => {
      const input = await rated();
      await fx.feedback.comment({
        episodeId: input.episodeId,
        customerId: input.customerId,
        text: 'Slow answer',
      });
      fx.clock.advance(29 * DAY);
      expect(await comments()).toHaveLength(1);
      fx.clock.advance(1 * DAY);
      expect(await comments()).toHaveLength(0);
      expect(await ratings()).toHaveLength(1);
    },
  );

  it('when a comment comes from someone else or without text, then it is refused', async () => {
    const input = await rated();
    expect(
      await fx.feedback.comment({ episodeId: input.episodeId, customerId: 'intruder', text: 'hi' }),
    ).toBe('refused');
    expect(
      await fx.feedback.comment({
        episodeId: input.episodeId,
        customerId: input.customerId,
        text: '<p> </p>',
      }),
    ).toBe('refused');
    expect(await comments()).toHaveLength(0);
  });

  it('when a comment comes without a rating, then it is kept and counts as no score', async () => {
    const unrated = surveyInput();
    await fx.feedback.openSurvey(unrated);
    expect(
      await fx.feedback.comment({ episodeId: unrated.episodeId, customerId: unrated.customerId, text: 'hi' }),
    ).toBe('stored');
    expect((await comments()).map((c) => c.text)).toEqual(['hi']);
    expect((await fx.feedback.reports.summary({})).count).toBe(0);
  });
});
