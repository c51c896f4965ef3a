import { useEffect, useId, useRef } from 'react';

const COMMANDS: { label: string; command: string; value?: string }[] = [
  { label: 'Bold', command: 'bold' },
  { label: 'Italic', command: 'italic' },
  { label: 'Heading', command: 'formatBlock', value: 'h2' },
  { label: 'Paragraph', command: 'formatBlock', value: 'p' },
  { label: 'Bulleted list', command: 'insertUnorderedList' },
  { label: 'Numbered list', command: 'insertOrderedList' },
];

/**
 * A small rich-text field (contentEditable with a toolbar) for lesson bodies. The HTML goes to learning, which
 * sanitises it (and the player sanitises it again), so the editor only has to produce the basic elements.
 */
export function RichTextEditor({
  label,
  initialHtml,
  onChange,
}: {
  label: string;
  initialHtml: string;
  onChange: (html: string) => void;
}) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // set once: React must not re-render contentEditable children while the author types
    if (ref.current) ref.current.innerHTML = initialHtml;
  }, [initialHtml]);
  const run = (command: string, value?: string) => {
    ref.current?.focus();
    document.execCommand(command, false, value);
    onChange(ref.current?.innerHTML ?? '');
  };
  const link = () => {
    const href = window.prompt('Link address (https://…)');
    if (href && /^https?:\/\//i.test(href)) run('createLink', href);
  };
  return (
    <div className="eg-field eg-rich-text">
      <span id={`${id}-label`} className="eg-field__label">
        {label}
      </span>
      <div role="toolbar" aria-label={`${label} formatting`} className="eg-rich-text__toolbar">
        {COMMANDS.map(({ label: name, command, value }) => (
          <button
            key={name}
            type="button"
            className="eg-button eg-button--secondary"
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => run(command, value)}
          >
            {name}
          </button>
        ))}
        <button
          type="button"
          className="eg-button eg-button--secondary"
          onMouseDown={(event) => event.preventDefault()}
          onClick={link}
        >
          Link
        </button>
      </div>
      <div
        ref={ref}
        role="textbox"
        aria-multiline="true"
        aria-labelledby={`${id}-label`}
        tabIndex={0}
        contentEditable
        suppressContentEditableWarning
        className="eg-field__input eg-rich-text__area"
        onInput={(event) => onChange(event.currentTarget.innerHTML)}
      />
    </div>
  );
}
