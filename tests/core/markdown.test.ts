import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { fromRoot } from '../../core/paths';
import { cleanMarkdown, hasImages, repairPiledEscapes, sanitizeMarkdown } from '../../core/markdown';

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
    // A word whose first letter is a tag's name and whose second is no ASCII letter: no <p>, <s> or <b>.
    ['Wybierz <Płatności> i zapłać', 'Wybierz <Płatności> i zapłać'],
    ['Otwórz <Płatności → Zapłać teraz>', 'Otwórz <Płatności → Zapłać teraz>'],
    ['Trykk på <Søk> øverst', 'Trykk på <Søk> øverst'],
    ['Naciśnij <Bądź na bieżąco>', 'Naciśnij <Bądź na bieżąco>'],
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

describe('sanitizeMarkdown is idempotent: saving a saved answer again changes nothing', () => {
  const savedTwice = (text: string) => sanitizeMarkdown(sanitizeMarkdown(text));

  it.each([
    ['Wpisz <numer klienta> i naciśnij <Enter>.', 'Wpisz <numer klienta> i naciśnij <Enter>.'],
    ['Press <Enter>, then <Ctrl>+<C>', 'Press <Enter>, then <Ctrl>+<C>'],
    [
      'Already escaped: \\<Enter\\> and a backslash \\\\ here',
      'Already escaped: <Enter> and a backslash \\ here',
    ],
    ['x < y > z and a_b', 'x < y > z and a_b'],
  ])(
    'when %j is saved three times, then it is stored as after the first save and read as written',
    (text, seen) => {
      const once = sanitizeMarkdown(text);
      expect(savedTwice(text)).toBe(once);
      expect(sanitizeMarkdown(savedTwice(text))).toBe(once);
      expect(shownText(once)).toBe(seen);
    },
  );

  it.each([
    ['Use `<br>` in code', '<code>&lt;br&gt;</code>'],
    ['Type ``<b>`` or `\\`', '<code>&lt;b&gt;</code>'],
    [
      '```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```',
      '&lt;script&gt;alert(1)&lt;/script&gt;',
    ],
    ['Indented:\n\n    <b>bold</b>', '<code>&lt;b&gt;bold&lt;/b&gt;'],
  ])('when %j has a tag in code, then the code is kept verbatim and shown as code text', (text, html) => {
    const saved = sanitizeMarkdown(text);
    expect(saved).toBe(text);
    expect(savedTwice(text)).toBe(text);
    expect(new MarkdownIt({ html: true }).render(saved)).toContain(html);
  });

  it('when a tag outside code follows code, then the tag is removed and the code kept', () => {
    expect(sanitizeMarkdown('`<b>` then <b>bold</b>')).toBe('`<b>` then bold');
  });

  it('when removing a link uncovers another one, then the uncovered one is removed too', () => {
    expect(sanitizeMarkdown('[[x](javascript:a)](javascript:b)')).toBe('x');
  });

  it('when a text cannot be kept as markdown, then it is escaped once, and not again on the next save', () => {
    const once = sanitizeMarkdown('Files: ftp://files.example.com, press <Enter>');
    expect(once).toBe('Files: ftp://files.example.com, press \\<Enter\\>');
    expect(sanitizeMarkdown(once)).toBe(once);
  });

  // Text made of the characters that sanitising treats specially: angle brackets, backslashes, backticks, tags,
  // links and emphasis, in every order.
  const piece = fc.oneof(
    fc.constantFrom(
      '<',
      '>',
      '\\',
      '`',
      '``',
      '```',
      '\n',
      '\n\n',
      '    ',
      ' ',
      '!',
      '[',
      ']',
      '(',
      ')',
      '*',
      '_',
      '&',
      ':',
      '<Enter>',
      '<numer klienta>',
      '<b>',
      '</b>',
      '<br>',
      '<script>',
      '</script>',
      '<img src=x onerror=alert(1)>',
      '<!--',
      '-->',
      '<https://example.com>',
      '[a](javascript:alert(1))',
      '[b](https://example.com)',
      '![c](https://example.com/c.png)',
      '[r]: javascript:x',
      '\\<',
      '\\>',
      '\\\\',
      '&lt;',
      '~~~',
      '#',
      '|',
    ),
    fc.string({ maxLength: 4 }),
  );
  const text = fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join(''));

  it('when any text of tags, escapes, backslashes and code is saved again, then it does not change', () => {
    fc.assert(
      fc.property(text, (raw) => {
        const once = sanitizeMarkdown(raw);
        expect(sanitizeMarkdown(once)).toBe(once);
      }),
      { numRuns: 2000, seed: 15 },
    );
  });
});

describe('repairPiledEscapes', () => {
  it('when backslashes were piled up by repeated saves, then the answer of the first save comes back', () => {
    const pile = (n: number, word: string) => `${'\\'.repeat(n)}<${word}${'\\'.repeat(2 ** n - 1)}>`;
    for (const saves of [2, 3, 5]) {
      expect(repairPiledEscapes(`Press ${pile(saves, 'Enter')} now`)).toBe('Press \\<Enter\\> now');
    }
  });

  it.each([
    'Press \\<Enter\\> now',
    // A backslash shown before a word in angle brackets, as saved today.
    'C:\\\\\\<dir\\>',
    'Two: \\\\\\\\ and a link \\\\<https://example.com>',
    'Code: `\\\\<b\\\\\\>`',
  ])('when %j was saved once, then it is left as it is', (text) => {
    expect(repairPiledEscapes(text)).toBe(text);
  });
});

describe('cleanMarkdown says what it removed', () => {
  it('when an answer has a script, an event-handler tag, a comment and an unsafe link, then each is named', () => {
    const { text, removed } = cleanMarkdown(
      'Hi <script>steal()</script><img src=x onerror=alert(1)> <!-- note --> [x](javascript:alert(1)) <Enter>',
    );
    expect(text).toBe('Hi   x \\<Enter\\>');
    expect(removed).toEqual({ tags: ['script', '!--', 'img'], unsafeLinks: 1, shownAsText: false });
  });

  it('when nothing is removed, then nothing is reported', () => {
    expect(cleanMarkdown('Press `<Enter>` or <Enter>, see [docs](https://example.com)').removed).toEqual({
      tags: [],
      unsafeLinks: 0,
      shownAsText: false,
    });
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
