import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

/** Reads markdown as the customer's chat renders it (raw HTML is no markup: stored texts hold none). */
const reader = new MarkdownIt({ html: false, linkify: false });

/**
 * A markdown message (the bot's and agents' messages, stored sanitised) as the words the customer saw, without the
 * markup: for places that show text literally, such as the `TextRun`s of the Teams staff cards, where `**Hopp
 * over**` would show its asterisks. Emphasis and escapes are dropped (`\<Enter\>` → `<Enter>`), paragraphs, list
 * items and line breaks become lines (items with "•" or their number), a link keeps its text and adds its address
 * when that differs ("the form (https://…)"), code keeps its content.
 */
export function markdownAsPlainText(markdown: string): string {
  const lines: string[] = [];
  let line = '';
  let listNumbers: Array<number | null> = [];
  const endLine = (): void => {
    if (line.trim()) lines.push(line.trimEnd());
    line = '';
  };
  for (const token of reader.parse(markdown, {})) {
    switch (token.type) {
      case 'bullet_list_open':
        listNumbers = [...listNumbers, null];
        break;
      case 'ordered_list_open':
        listNumbers = [...listNumbers, Number(token.attrGet('start') ?? 1)];
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        listNumbers = listNumbers.slice(0, -1);
        break;
      case 'list_item_open': {
        endLine();
        const number = listNumbers.at(-1);
        line = `${'  '.repeat(Math.max(0, listNumbers.length - 1))}${number == null ? '•' : `${number}.`} `;
        if (number != null) listNumbers = [...listNumbers.slice(0, -1), number + 1];
        break;
      }
      case 'inline':
        line += inlineText(token.children ?? []);
        break;
      case 'fence':
      case 'code_block':
        endLine();
        lines.push(...token.content.replace(/\n$/, '').split('\n'));
        break;
      case 'paragraph_close':
      case 'heading_close':
      case 'hr':
        endLine();
        break;
      default:
        break;
    }
  }
  endLine();
  return lines.join('\n');
}

/** The text of a paragraph's inline tokens: emphasis dropped, breaks as new lines, links with their address. */
function inlineText(tokens: readonly Token[]): string {
  let text = '';
  let link: { href: string; from: number } | null = null;
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
      case 'code_inline':
      case 'html_inline':
        text += token.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        text += '\n';
        break;
      case 'image':
        text += token.content;
        break;
      case 'link_open':
        link = { href: String(token.attrGet('href') ?? ''), from: text.length };
        break;
      case 'link_close': {
        const label = link ? text.slice(link.from) : '';
        const href = link?.href.replace(/^mailto:/, '') ?? '';
        if (href && href !== label) text += ` (${href})`;
        link = null;
        break;
      }
      default:
        break;
    }
  }
  return text;
}
