import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import MarkdownIt from 'markdown-it';
import { fromRoot } from '../../core/paths';
import { hasImages, sanitizeMarkdown } from '../../core/markdown';

/** What a reader sees once Web Chat's markdown renderer (markdown-it) has shown the text. */
const shownText = (markdown: string): string =>
  new MarkdownIt()
    .render(markdown)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();

describe('sanitizeMarkdown keeps what is not markup', () => {
  it.each([
    [
      'Please reply with <your customer number> so I can check',
      'Please reply with <your customer number> so I can check',
    ],
    ['agen <admin> lama balas', 'agen <admin> lama balas'],
    ['x < y > z', 'x < y > z'],
    ['I <3 fast internet', 'I <3 fast internet'],
  ])('when the text is %j, then a reader sees it as written', (text, seen) => {
    expect(shownText(sanitizeMarkdown(text))).toBe(seen);
  });

  it('when an answer has autolinks, then they stay links', () => {
    const safe = sanitizeMarkdown('See <https://example.com/help> or write to <help@example.com>');
    expect(safe).toBe('See <https://example.com/help> or write to <help@example.com>');
    expect(new MarkdownIt().render(safe)).toContain('<a href="https://example.com/help">');
  });

  it.each([
    ['<b>Bold</b> and **markdown**', 'Bold and **markdown**'],
    ['Try <img src=x onerror="alert(1)"> now', 'Try  now'],
    ['<x onmouseover=alert(1)>hover', 'hover'],
    ['<my-widget>hi</my-widget>', 'hi'],
    ['[x](javascript:alert(1)) and [y](https://example.com)', 'x and [y](https://example.com)'],
    // Protocol-relative links leave the site however they look.
    ['[o](//evil.example) and [h](/help)', 'o and [h](/help)'],
    ['[a](/\\evil.example)', 'a'],
  ])('when the text is %j, then the markup goes and its text stays', (text, kept) => {
    expect(sanitizeMarkdown(text)).toBe(kept);
  });

  it('when an autolink is not a web or mail address, then it is shown as text, never a link', () => {
    const safe = sanitizeMarkdown('<javascript:alert(1)>');
    expect(new MarkdownIt({ linkify: true }).render(safe)).not.toContain('<a ');
  });
});

describe('sanitizeMarkdown and pictures', () => {
  it.each([
    [
      '![Router back panel](https://cdn.example.com/x.png)',
      '[Router back panel](https://cdn.example.com/x.png)',
    ],
    ['See ![Back](/img/back.png "The back") here', 'See [Back](/img/back.png "The back") here'],
    // No alt text: the link is named by its address.
    [
      '![](https://cdn.example.com/a_b.png)',
      '[https://cdn.example.com/a\\_b.png](https://cdn.example.com/a_b.png)',
    ],
    // Forms the rewriting does not read are made links all the same.
    [
      '![Back][panel]\n\n[panel]: https://cdn.example.com/y.png',
      '[Back][panel]\n\n[panel]: https://cdn.example.com/y.png',
    ],
    ['![a [b]](https://cdn.example.com/z.png)', '[a [b]](https://cdn.example.com/z.png)'],
    // An escaped "!" before a link is text, and a picture of an unsafe address keeps only its alt text.
    ['Wow\\![docs](https://example.com)', 'Wow\\![docs](https://example.com)'],
    ['![a](javascript:alert(1))', 'a'],
  ])('when the text is %j, then each picture is a link named by its alt text', (text, saved) => {
    const safe = sanitizeMarkdown(text);
    expect(safe).toBe(saved);
    expect(hasImages(safe)).toBe(false);
    expect(new MarkdownIt().render(safe)).not.toContain('<img');
  });

  it('when a text has a picture, then hasImages says so, and not for links or an exclamation before brackets', () => {
    expect(hasImages('Look: ![panel](https://cdn.example.com/x.png)')).toBe(true);
    expect(hasImages('Hi! [x](https://example.com) and wow![y]')).toBe(false);
  });
});

describe('sanitizeMarkdown on crafted long input', () => {
  const crafted = [
    `![a](${' '.repeat(150_000)}x`, // an image link left open after many blanks
    '['.repeat(150_000), // a line of opening brackets
    `${'\n'.repeat(150_000)}[a]: javascript:alert(1)`, // an unsafe reference line after many empty lines
  ];

  it('when the text is crafted against its patterns, then it is still cleaned', () => {
    const [link = '', brackets = '', reference = ''] = crafted.map(sanitizeMarkdown);
    expect(link.slice(-1)).toBe('x');
    expect(brackets.slice(-1)).toBe('[');
    expect(reference).toBe('');
  });

  it('when the text is crafted against its patterns, then cleaning it does not hold the process', () => {
    // A regular expression that backtracks blocks the event loop: these inputs took 12–65 s before the patterns were
    // made linear (a rating comment of 28,000 characters blocked the server for 1.35 s), about 0.5 s now. Run in a
    // child process so that a regression fails at the deadline instead of blocking the test runner.
    const script = `import { readFileSync } from 'node:fs';
      const { sanitizeMarkdown } = (await import(${JSON.stringify(pathToFileURL(fromRoot('core', 'markdown.ts')).href)})).default;
      for (const text of JSON.parse(readFileSync(0, 'utf8'))) sanitizeMarkdown(text);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fromRoot(),
      input: JSON.stringify(crafted),
      timeout: 20_000,
      encoding: 'utf8',
    });
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({
      status: 0,
      signal: null,
      stderr: '',
    });
  });
});
