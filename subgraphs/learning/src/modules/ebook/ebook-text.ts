import sanitizeHtml from 'sanitize-html';

/** The chapter's plain text (tags removed, entities decoded, whitespace collapsed): what offsets index. */
export function plainText(html: string): string {
  const text = sanitizeHtml(
    html.replace(/<\/(p|h[1-6]|li|blockquote|pre|tr|figcaption)>|<br\s*\/?>/gi, '$& '),
    {
      allowedTags: [],
      allowedAttributes: {},
    },
  );
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function wordCount(html: string): number {
  const text = plainText(html);
  return text ? text.split(' ').length : 0;
}
