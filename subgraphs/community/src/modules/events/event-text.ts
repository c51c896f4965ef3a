import sanitizeHtml from 'sanitize-html';

/** Longest event description we store, in characters of sanitised HTML. */
export const MAX_DESCRIPTION_LENGTH = 20_000;

/** The allow-list of learning's rich text (lesson bodies), without images and tables. */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'span',
    'strong',
    'b',
    'em',
    'i',
    'u',
    's',
    'sub',
    'sup',
    'mark',
    'small',
    'ul',
    'ol',
    'li',
    'a',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], ol: ['start'] },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: {
        ...attribs,
        rel: 'noopener noreferrer nofollow',
        ...(attribs['target'] ? { target: '_blank' } : {}),
      },
    }),
  },
};

/**
 * Event description rich text → safe HTML (as learning sanitises lesson bodies): formatting tags and
 * links only; scripts, styles, event handlers, iframes and `javascript:`/`data:` URLs are removed.
 */
export function sanitizeEventHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

/** The description as plain text (ICS DESCRIPTION). */
export function eventHtmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<\/(p|h[2-4]|li|blockquote|pre)>|<br\s*\/?>/gi, '$&\n'), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
