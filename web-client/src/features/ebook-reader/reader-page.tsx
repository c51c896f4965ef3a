import { useMutation, useQuery } from '@apollo/client/react';
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert, Button, Card, Page, Spinner, TextField } from '../../components/index.js';
import {
  AddEbookBookmarkDocument,
  AddEbookHighlightDocument,
  DeleteEbookBookmarkDocument,
  DeleteEbookHighlightDocument,
  EbookChapterBodyDocument,
  EbookReaderDocument,
  SaveReadingProgressDocument,
  UpdateReaderSettingsDocument,
  type HighlightColour,
  type ReaderTheme,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { sanitizeHtml } from '../player/safe-html.js';
import { offsetOf, textModel, wrapRange } from './text-offsets.js';
import './reader.css';

export const COLOURS: readonly HighlightColour[] = ['YELLOW', 'GREEN', 'BLUE', 'PINK', 'PURPLE'];
const THEMES: readonly [ReaderTheme, string][] = [
  ['LIGHT', 'Light'],
  ['DARK', 'Dark'],
  ['SEPIA', 'Sepia'],
];
const FONT_SIZES = [14, 16, 18, 20, 24, 28] as const;
const label = (value: string) => value.charAt(0) + value.slice(1).toLowerCase();

type Selection = { start: number; end: number; text: string };

/**
 * The ebook reader: table of contents, one chapter at a time (sanitised HTML), highlights (select text, pick a
 * colour, add a note), bookmarks, reading progress (saved when a chapter opens) and reader settings.
 */
export function ReaderPage() {
  const { ebookId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const reader = useQuery(EbookReaderDocument, { variables: { id: ebookId } });
  const ebook = reader.data?.ebook;
  const bodies = useQuery(EbookChapterBodyDocument, { variables: { id: ebookId }, skip: !ebook?.viewerOwns });
  const refetch = [{ query: EbookReaderDocument, variables: { id: ebookId } }];
  const [addHighlight, addingHighlight] = useMutation(AddEbookHighlightDocument, { refetchQueries: refetch });
  const [deleteHighlight] = useMutation(DeleteEbookHighlightDocument, { refetchQueries: refetch });
  const [addBookmark, addingBookmark] = useMutation(AddEbookBookmarkDocument, { refetchQueries: refetch });
  const [deleteBookmark] = useMutation(DeleteEbookBookmarkDocument, { refetchQueries: refetch });
  const [saveProgress, savedProgress] = useMutation(SaveReadingProgressDocument);
  const [updateSettings] = useMutation(UpdateReaderSettingsDocument, { refetchQueries: refetch });
  const [selection, setSelection] = useState<Selection | null>(null);
  const [colour, setColour] = useState<HighlightColour>('YELLOW');
  const [note, setNote] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const colourId = useId();
  const themeId = useId();
  const fontId = useId();

  const chapters = [...(ebook?.chapters ?? [])].sort((a, b) => a.position - b.position);
  const chapterId = search.get('chapter') ?? ebook?.viewerProgress?.chapterId ?? chapters[0]?.id ?? null;
  const chapter = chapters.find((c) => c.id === chapterId) ?? chapters[0];
  const body = bodies.data?.ebook?.chapters.find((c) => c.id === chapter?.id)?.body ?? null;
  const highlights = (ebook?.viewerHighlights ?? []).filter((h) => h.chapterId === chapter?.id);
  const settings = reader.data?.readerSettings;

  // The chapter's HTML, then its highlights wrapped in <mark> (rebuilt whenever either changes).
  const highlightKey = highlights.map((h) => `${h.id}:${h.startOffset}:${h.endOffset}:${h.colour}`).join(',');
  useLayoutEffect(() => {
    const root = contentRef.current;
    if (!root || body === null) return;
    root.innerHTML = sanitizeHtml(body);
    for (const highlight of [...highlights].sort((a, b) => a.startOffset - b.startOffset))
      wrapRange(root, highlight.startOffset, highlight.endOffset, () => {
        const mark = document.createElement('mark');
        mark.className = `eg-highlight eg-highlight--${highlight.colour.toLowerCase()}`;
        if (highlight.note) mark.title = highlight.note;
        return mark;
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- highlightKey stands for highlights
  }, [body, highlightKey]);

  // Opening a chapter is where the reader is now.
  const currentChapterId = chapter?.id;
  useEffect(() => {
    if (!currentChapterId || !ebook?.viewerOwns) return;
    const offset = ebook.viewerProgress?.chapterId === currentChapterId ? ebook.viewerProgress.offset : 0;
    void saveProgress({ variables: { input: { chapterId: currentChapterId, offset } } }).catch(
      () => undefined,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per chapter
  }, [currentChapterId, ebook?.viewerOwns, saveProgress]);

  const readSelection = useCallback(() => {
    const root = contentRef.current;
    const current = window.getSelection();
    if (!root || !current || current.isCollapsed || current.rangeCount === 0) return;
    const range = current.getRangeAt(0);
    const model = textModel(root);
    const start = offsetOf(model, root, range.startContainer, range.startOffset);
    const end = offsetOf(model, root, range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    setSelection({ start, end, text: model.text.slice(start, end) });
  }, []);

  if (reader.loading && !reader.data) return <Spinner label="Opening the ebook…" />;
  if (reader.error && !reader.data) return <Alert tone="error">{errorMessage(reader.error)}</Alert>;
  if (!ebook)
    return (
      <Page title="Ebook not found">
        <p>
          There is no ebook at this address. <Link to="/library">Back to your library</Link>.
        </p>
      </Page>
    );
  if (!ebook.viewerOwns)
    return (
      <Page title={ebook.title}>
        <p>
          This ebook is not in your library yet. <Link to="/library">Go to the library</Link> to add or buy
          it.
        </p>
      </Page>
    );

  const index = chapter ? chapters.indexOf(chapter) : -1;
  const open = (id: string) => {
    setSelection(null);
    setSearch({ chapter: id });
  };
  const percent = savedProgress.data?.saveReadingProgress.percent ?? ebook.viewerProgress?.percent ?? 0;
  const act = (work: Promise<unknown>) => {
    setFailure(null);
    work.catch((error: unknown) => setFailure(error));
  };

  return (
    <Page title={chapter ? `${chapter.title} · ${ebook.title}` : ebook.title} heading={ebook.title}>
      <p role="status" className="eg-muted">
        {percent}% read
      </p>
      <div className="eg-reader-layout">
        <div className="eg-reader-layout__side">
          <nav aria-label="Chapters">
            <h2>Contents</h2>
            <ol className="eg-list">
              {chapters.map((c) => (
                <li key={c.id}>
                  <Link
                    to={`/library/${ebook.id}?chapter=${c.id}`}
                    aria-current={c.id === chapter?.id ? 'page' : undefined}
                    onClick={() => setSelection(null)}
                  >
                    {c.title}
                  </Link>
                </li>
              ))}
            </ol>
          </nav>
          <section aria-labelledby="reader-settings">
            <h2 id="reader-settings">Reader settings</h2>
            <div className="eg-field">
              <label htmlFor={themeId} className="eg-field__label">
                Page colour
              </label>
              <select
                id={themeId}
                className="eg-field__input"
                value={settings?.theme ?? 'LIGHT'}
                onChange={(event) =>
                  act(updateSettings({ variables: { input: { theme: event.target.value as ReaderTheme } } }))
                }
              >
                {THEMES.map(([value, name]) => (
                  <option key={value} value={value}>
                    {name}
                  </option>
                ))}
              </select>
            </div>
            <div className="eg-field">
              <label htmlFor={fontId} className="eg-field__label">
                Text size
              </label>
              <select
                id={fontId}
                className="eg-field__input"
                value={settings?.fontSize ?? 16}
                onChange={(event) =>
                  act(updateSettings({ variables: { input: { fontSize: Number(event.target.value) } } }))
                }
              >
                {[...new Set([...FONT_SIZES, settings?.fontSize ?? 16])]
                  .sort((a, b) => a - b)
                  .map((size) => (
                    <option key={size} value={size}>
                      {size} px
                    </option>
                  ))}
              </select>
            </div>
          </section>
        </div>
        <div className="eg-reader-layout__main">
          {chapter ? (
            <article aria-labelledby="chapter-title">
              <h2 id="chapter-title">{chapter.title}</h2>
              {body === null ? <Spinner label="Loading the chapter…" /> : null}
              <div
                ref={contentRef}
                className={`eg-reader eg-reader--${(settings?.theme ?? 'LIGHT').toLowerCase()}`}
                style={{ fontSize: `${settings?.fontSize ?? 16}px`, lineHeight: settings?.lineHeight ?? 1.6 }}
                onMouseUp={readSelection}
                onKeyUp={readSelection}
              />
            </article>
          ) : (
            <p>This ebook has no chapters yet.</p>
          )}
          {selection && chapter ? (
            <Card className="eg-reader__selection">
              <h3>Highlight</h3>
              <blockquote>{selection.text}</blockquote>
              <div className="eg-field">
                <label htmlFor={colourId} className="eg-field__label">
                  Highlight colour
                </label>
                <select
                  id={colourId}
                  className="eg-field__input"
                  value={colour}
                  onChange={(event) => setColour(event.target.value as HighlightColour)}
                >
                  {COLOURS.map((c) => (
                    <option key={c} value={c}>
                      {label(c)}
                    </option>
                  ))}
                </select>
              </div>
              <TextField
                label="Note (optional)"
                value={note}
                onChange={(event) => setNote(event.target.value)}
              />
              <div className="eg-form__actions">
                <Button
                  busy={addingHighlight.loading}
                  onClick={() =>
                    act(
                      addHighlight({
                        variables: {
                          input: {
                            chapterId: chapter.id,
                            startOffset: selection.start,
                            endOffset: selection.end,
                            colour,
                            ...(note.trim() ? { note: note.trim() } : {}),
                          },
                        },
                      }).then(() => {
                        setSelection(null);
                        setNote('');
                      }),
                    )
                  }
                >
                  Save highlight
                </Button>
                <Button variant="secondary" onClick={() => setSelection(null)}>
                  Cancel
                </Button>
              </div>
            </Card>
          ) : (
            <p className="eg-muted">Select text in the chapter to highlight it.</p>
          )}
          {failure ? <Alert tone="error">{errorMessage(failure)}</Alert> : null}
          <div className="eg-form__actions">
            {index > 0 ? (
              <Button variant="secondary" onClick={() => open(chapters[index - 1]!.id)}>
                Previous chapter
              </Button>
            ) : null}
            {chapter ? (
              <Button
                variant="secondary"
                busy={addingBookmark.loading}
                onClick={() =>
                  act(
                    addBookmark({
                      variables: {
                        input: { chapterId: chapter.id, offset: selection?.start ?? 0, label: chapter.title },
                      },
                    }),
                  )
                }
              >
                Bookmark this chapter
              </Button>
            ) : null}
            {index >= 0 && index < chapters.length - 1 ? (
              <Button onClick={() => open(chapters[index + 1]!.id)}>Next chapter</Button>
            ) : null}
          </div>
          <section aria-labelledby="reader-highlights" className="eg-section">
            <h2 id="reader-highlights">Highlights in this chapter</h2>
            {highlights.length === 0 ? <p>No highlights yet.</p> : null}
            <ul className="eg-list" aria-label="Highlights">
              {highlights.map((highlight) => (
                <Card as="li" key={highlight.id}>
                  <p>
                    <mark className={`eg-highlight eg-highlight--${highlight.colour.toLowerCase()}`}>
                      {highlight.text}
                    </mark>{' '}
                    <span className="eg-muted">({label(highlight.colour)})</span>
                  </p>
                  {highlight.note ? <p>Note: {highlight.note}</p> : null}
                  <Button
                    variant="link"
                    aria-label={`Delete highlight “${highlight.text.slice(0, 40)}”`}
                    onClick={() =>
                      act(deleteHighlight({ variables: { input: { highlightId: highlight.id } } }))
                    }
                  >
                    Delete
                  </Button>
                </Card>
              ))}
            </ul>
          </section>
          <section aria-labelledby="reader-bookmarks" className="eg-section">
            <h2 id="reader-bookmarks">Bookmarks</h2>
            {ebook.viewerBookmarks.length === 0 ? <p>No bookmarks yet.</p> : null}
            <ul className="eg-list" aria-label="Bookmarks">
              {ebook.viewerBookmarks.map((bookmark) => (
                <li key={bookmark.id} className="eg-reader__bookmark">
                  <Link to={`/library/${ebook.id}?chapter=${bookmark.chapterId}`}>{bookmark.label}</Link>
                  <Button
                    variant="link"
                    aria-label={`Delete bookmark ${bookmark.label}`}
                    onClick={() => act(deleteBookmark({ variables: { input: { bookmarkId: bookmark.id } } }))}
                  >
                    Delete
                  </Button>
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
    </Page>
  );
}
