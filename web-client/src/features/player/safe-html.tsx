/**
 * Lesson, assignment and ebook HTML arrives sanitised by learning; the app sanitises it again before it touches
 * the DOM (defence in depth: a bug or an older row upstream must not become script here). An allow-list of
 * elements and attributes: unknown elements are unwrapped (their text stays), dangerous ones dropped whole,
 * every attribute not listed is removed (no `on*`, no `style`, no `class`), links only to http(s)/mailto.
 */
const ALLOWED = new Set([
  'a',
  'abbr',
  'b',
  'blockquote',
  'br',
  'caption',
  'code',
  'dd',
  'del',
  'dl',
  'dt',
  'em',
  'figcaption',
  'figure',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  's',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'u',
  'ul',
]);
const DROPPED = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'template',
  'noscript',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'link',
  'meta',
  'base',
  'svg',
  'math',
  'frame',
  'frameset',
]);
const ATTRIBUTES: Record<string, readonly string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'width', 'height'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  abbr: ['title'],
};

function safeUrl(value: string, forImage: boolean): boolean {
  const trimmed = value.trim();
  if (trimmed.startsWith('/') && !trimmed.startsWith('//')) return true;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'https:' || url.protocol === 'http:' || (!forImage && url.protocol === 'mailto:');
  } catch {
    return false;
  }
}

function clean(node: Node, doc: Document): void {
  for (const child of [...node.childNodes]) {
    if (child.nodeType === 3) continue; // text
    if (child.nodeType !== 1) {
      child.remove(); // comments, processing instructions
      continue;
    }
    const element = child as Element;
    const tag = element.tagName.toLowerCase();
    if (DROPPED.has(tag)) {
      element.remove();
      continue;
    }
    clean(element, doc);
    if (!ALLOWED.has(tag)) {
      element.replaceWith(...element.childNodes);
      continue;
    }
    const allowed = ATTRIBUTES[tag] ?? [];
    for (const attribute of [...element.attributes]) {
      const name = attribute.name.toLowerCase();
      const keep =
        allowed.includes(name) &&
        (name !== 'href' && name !== 'src' ? true : safeUrl(attribute.value, name === 'src'));
      if (!keep) element.removeAttribute(attribute.name);
    }
    if (tag === 'img') {
      // an image without a safe source shows nothing; one without alt text is treated as decorative
      if (!element.hasAttribute('src')) {
        element.remove();
        continue;
      }
      if (!element.hasAttribute('alt')) element.setAttribute('alt', '');
    }
    if (tag === 'a' && element.hasAttribute('href'))
      element.setAttribute('rel', 'noopener noreferrer nofollow');
  }
}

export function sanitizeHtml(html: string): string {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  clean(doc.body, doc);
  return doc.body.innerHTML;
}

/** Renders sanitised HTML in a `div` (lesson body, assignment instructions, ebook chapters). */
export function SafeHtml({
  html,
  className,
  ref,
  ...rest
}: {
  html: string;
  className?: string;
  ref?: React.Ref<HTMLDivElement>;
  'aria-label'?: string;
  lang?: string;
}) {
  return (
    <div {...rest} ref={ref} className={className} dangerouslySetInnerHTML={{ __html: sanitizeHtml(html) }} />
  );
}

/** Plain text typed by a learner as paragraphs of HTML (escaped), for `bodyHtml` inputs. */
export function textToHtml(text: string): string {
  const escape = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return text
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p>${escape(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
}
