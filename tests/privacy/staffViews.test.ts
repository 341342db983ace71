import { type Browser, type Page } from 'playwright-core';
import { caseCardContent } from '../../cards/caseCard';
import { launchBrowser, watchedPage } from '../helpers/browser';
import { startTestBot, type TestBot } from '../helpers/harness';

jest.setTimeout(90_000);

const CUSTOMER = { conversationId: 'staff-view-customer', userId: 'staff-view-user', locale: 'pl-PL' };

describe('redaction tokens in staff views', () => {
  it('when a Teams case card is built in Polish, then tokens read as Polish placeholders', () => {
    const at = new Date('2025-03-04T09:30:15Z');
    const card = JSON.stringify(
      caseCardContent(
        {
          id: 'case-1',
          status: 'queued',
          conversationId: 'conv-1',
          customerId: 'user-1',
          locale: 'pl',
          channel: 'webchat',
          reason: 'request',
          summary: 'karta [[redacted:card]]',
          contact: {},
          priority: 1,
          basePriority: 1,
          ticket: false,
          external: false,
          createdAt: at,
          queuedAt: at,
          updatedAt: at,
          transcript: [{ from: 'customer', text: 'PESEL [[redacted:national-id]]', at }],
          messages: [],
        },
        'pl',
        '',
      ),
    );
    expect(card).toContain('karta [numer karty usunięty]');
    expect(card).toContain('PESEL [numer identyfikacyjny usunięty]');
    expect(card).not.toContain('[[redacted:');
  });

  describe('the staff console in a Norwegian browser', () => {
    let bot: TestBot;
    let browser: Browser;
    let page: Page;
    const problems: string[] = [];

    beforeAll(async () => {
      bot = await startTestBot();
      browser = await launchBrowser();
      page = await watchedPage(browser, problems, { locale: 'nb-NO' });
    });
    afterAll(async () => {
      await browser?.close();
      await bot?.close();
    });

    it('when a customer sent a card number, then the agent reads "[kortnummer fjernet]"', async () => {
      await bot.say('moja karta 4111 1111 1111 1111 nie działa', CUSTOMER);
      await bot.app.handoff.open({
        conversationId: CUSTOMER.conversationId,
        customerId: CUSTOMER.userId,
        locale: 'pl',
        channel: 'webchat',
        reason: 'request',
        summary: 'karta 4111 1111 1111 1111',
      });
      const { token } = await bot.app.auth.issue('Kari', 'agent', 'test');
      await page.goto(`${bot.url}/agent`);
      await page.locator('input[type="password"], input[name="token"], #token').first().fill(token);
      await page.locator('form button[type="submit"]').first().click();
      const row = page.locator('#queue li', { hasText: 'karta' });
      await row.waitFor();
      await expect(row.locator('.summary').textContent()).resolves.toBe('karta [kortnummer fjernet]');
      await row.locator('button').last().click();
      const conversation = page.locator('#conversation');
      await conversation.locator('li.from-customer', { hasText: '[kortnummer fjernet]' }).waitFor();
      const shown = await conversation.innerText();
      expect(shown).not.toContain('4111');
      expect(shown).not.toContain('[[redacted:');
      expect(problems).toEqual([]);
    });
  });
});
