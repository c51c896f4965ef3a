/**
 * Highlight and bookmark offsets index the chapter's PLAIN TEXT as learning computes it (`ebook-text.ts`): tags
 * removed, a space after each block end (p, h1–6, li, blockquote, pre, tr, figcaption) and `<br>`, whitespace
 * runs collapsed to one space, trimmed. This maps the rendered chapter's DOM onto that text and back.
 */
const BLOCKS = new Set([
  'P',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'TR',
  'FIGCAPTION',
]);

export type TextModel = {
  text: string;
  /** For each character of `text`, the text node and offset it came from (null for an inserted space). */
  chars: ({ node: Text; offset: number } | null)[];
  /** For each text node, the index in `text` of its raw offsets 0..length. */
  index: Map<Text, number[]>;
};

export function textModel(root: Node): TextModel {
  const chars: TextModel['chars'] = [];
  const index = new Map<Text, number[]>();
  let text = '';
  const push = (ch: string, at: { node: Text; offset: number } | null) => {
    if (/\s/.test(ch)) {
      if (text.length === 0 || text.endsWith(' ')) return;
      text += ' ';
    } else text += ch;
    chars.push(at);
  };
  const walk = (node: Node) => {
    for (const child of [...node.childNodes]) {
      if (child.nodeType === 3) {
        const textNode = child as Text;
        const data = textNode.data;
        const positions: number[] = [];
        for (let i = 0; i < data.length; i += 1) {
          positions.push(text.length);
          push(data[i]!, { node: textNode, offset: i });
        }
        positions.push(text.length);
        index.set(textNode, positions);
      } else if (child.nodeType === 1) {
        const element = child as Element;
        if (element.tagName === 'BR') push(' ', null);
        else {
          walk(element);
          if (BLOCKS.has(element.tagName)) push(' ', null);
        }
      }
    }
  };
  walk(root);
  if (text.endsWith(' ')) {
    text = text.slice(0, -1);
    chars.pop();
  }
  return { text, chars, index };
}

/** The plain-text offset of a DOM position (a selection boundary) inside `root`, or null when outside. */
export function offsetOf(model: TextModel, root: Node, node: Node, offset: number): number | null {
  if (!root.contains(node)) return null;
  if (node.nodeType === 3) {
    const positions = model.index.get(node as Text);
    return positions ? Math.min(positions[offset] ?? model.text.length, model.text.length) : null;
  }
  // An element boundary: the first text node at or after child `offset`.
  const after = node.childNodes[offset];
  const walker = document.createTreeWalker(after ?? node, NodeFilter.SHOW_TEXT);
  const first = after ? (after.nodeType === 3 ? after : walker.nextNode()) : null;
  if (first) return model.index.get(first as Text)?.[0] ?? null;
  return model.text.length;
}

/** Wraps plain-text range [start, end) in `mark` elements made by `make` (one per text node it spans). */
export function wrapRange(root: Node, start: number, end: number, make: () => HTMLElement): void {
  const model = textModel(root);
  const segments = new Map<Text, { from: number; to: number }>();
  for (let i = Math.max(0, start); i < Math.min(end, model.chars.length); i += 1) {
    const at = model.chars[i];
    if (!at) continue;
    const segment = segments.get(at.node);
    if (segment) segment.to = at.offset + 1;
    else segments.set(at.node, { from: at.offset, to: at.offset + 1 });
  }
  for (const [node, { from, to }] of segments) {
    const middle = node.splitText(from);
    middle.splitText(to - from);
    const mark = make();
    middle.replaceWith(mark);
    mark.append(middle);
  }
}
