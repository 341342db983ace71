import { htmlLinksAsMarkdown, sanitizeMarkdown } from '../../core/markdown';

/** What an agent's pasted HTML links become before sanitising (handoff/service.ts agentMessage). */
describe('htmlLinksAsMarkdown', () => {
  it.each([
    [
      'a link to a web address',
      '<a href="https://example.com">Min side</a>',
      '[Min side](https://example.com)',
    ],
    [
      'single quotes and more attributes',
      `<a class="x" href='http://example.com/a' target="_blank">A</a>`,
      '[A](http://example.com/a)',
    ],
    ['no quotes', '<a href=https://example.com/b>B</a>', '[B](https://example.com/b)'],
    [
      'an entity in the address',
      '<a href="https://example.com/?a=1&amp;b=2">C</a>',
      '[C](https://example.com/?a=1&b=2)',
    ],
    [
      'no text: the address names it',
      '<a href="https://example.com/x_y"></a>',
      '[https://example.com/x\\_y](https://example.com/x_y)',
    ],
    [
      'in a sentence',
      'See <A HREF="https://example.com">here</A>, please.',
      'See [here](https://example.com), please.',
    ],
  ])('when %s, then it becomes a markdown link', (_name, html, markdown) => {
    expect(htmlLinksAsMarkdown(html)).toBe(markdown);
    expect(sanitizeMarkdown(htmlLinksAsMarkdown(html))).toBe(markdown);
  });

  it.each([
    ['a script address', '<a href="javascript:alert(1)">x</a>', 'x'],
    ['a data address', '<a href="data:text/html;base64,PHNjcmlwdD4=">y</a>', 'y'],
    ['a hidden scheme', '<a href="java&#115;cript:alert(1)">z</a>', 'z'],
    ['markup in the text', '<a href="https://example.com"><b>bold</b></a>', 'bold'],
    ['brackets in the text', '<a href="https://example.com">[x]</a>', '[x]'],
    ['a parenthesis in the address', '<a href="https://example.com/a)b">w</a>', 'w'],
  ])('when %s, then it is left for sanitising, which keeps only the text', (_name, html, sanitized) => {
    expect(htmlLinksAsMarkdown(html)).toBe(html);
    expect(sanitizeMarkdown(htmlLinksAsMarkdown(html))).toBe(sanitized);
  });

  it('when the link is in code or escaped, then it stays as written', () => {
    const code = 'Type `<a href="https://example.com">x</a>` here';
    expect(htmlLinksAsMarkdown(code)).toBe(code);
    const escaped = '\\<a href="https://example.com">x\\</a>';
    expect(htmlLinksAsMarkdown(escaped)).toBe(escaped);
  });
});
