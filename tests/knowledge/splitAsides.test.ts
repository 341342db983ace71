import { splitQuestions } from '../../knowledge/splitQuestions';

describe('splitting a message with a thanks, greeting or link beside its questions', () => {
  it.each([
    [
      'en',
      'how do i pay my bill? how do i change my plan? thank you so much for your help guys',
      ['how do i pay my bill?', 'how do i change my plan?'],
    ],
    [
      'en',
      'how do i pay my bill? how do i change my plan? how long is my contract? check https://speedtest.net/result/12345 lol',
      ['how do i pay my bill?', 'how do i change my plan?', 'how long is my contract?'],
    ],
    [
      'pl',
      'jak zmienić pakiet i gdzie znajdę fakturę? z gory dziekuje za pomoc',
      ['jak zmienić pakiet', 'gdzie znajdę fakturę?'],
    ],
    ['nb', 'hvordan bytter jeg abonnement? tusen takk for hjelpen', ['hvordan bytter jeg abonnement?']],
  ])('%s: "%s" leaves the aside out', (locale, text, parts) => {
    expect(splitQuestions(text, locale)).toEqual(parts);
  });

  it('a question written without a question word stays a question', () => {
    expect(splitQuestions('how do I change my plan? my router keeps blinking red all night', 'en')).toEqual([
      'how do I change my plan?',
      'my router keeps blinking red all night',
    ]);
  });
});
