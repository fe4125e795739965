// Basic-tier building blocks: XHTML-MP-safe (block content inside forms, no scripts).
import type { StreamEntry } from '../../../shared/api.js';
import { CSRF_FIELD } from '../../session/csrf.js';
import type { ActionButton, Chrome } from '../chrome.js';
import { describeEntry, type EntryView, OFFSITE_IMAGE_REFERRER_POLICY } from '../entries.js';
import { Inlines } from '../inline.js';

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

export function FieldError({ message }: { message?: string | undefined }) {
  return message ? (
    <>
      <span class="e">{message}</span>
      <br />
    </>
  ) : null;
}

export function ActionForm({ csrf, button, back }: { csrf: string; button: ActionButton; back?: string }) {
  return (
    <form method="post" action={button.action}>
      <p>
        <CsrfField token={csrf} />
        {back && <input type="hidden" name="back" value={back} />}
        {Object.entries(button.fields ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <input type="submit" value={button.label} />
      </p>
    </form>
  );
}

/** One entry of a stream (the view model is shared with the rich tier: entries.ts). */
export function StreamItem({ view, lean }: { view: EntryView; lean: boolean }) {
  return (
    <p>
      <Inlines parts={view.headline} />
      {view.quote !== null && `: “${view.quote}”`}
      {view.titled && (
        <>
          <br />
          {view.titled.href ? (
            <Inlines parts={[{ text: view.titled.text, href: view.titled.href, external: true }]} />
          ) : (
            <b>{view.titled.text}</b>
          )}
        </>
      )}
      {view.plain && view.body.length > 0 && ': '}
      {!view.plain && view.body.length > 0 && <br />}
      <Inlines parts={view.body} />
      {view.image && (
        <>
          <br />
          <img
            src={view.image.src}
            alt={view.image.alt}
            width={view.image.width}
            referrerpolicy={view.image.offsite ? OFFSITE_IMAGE_REFERRER_POLICY : undefined}
          />
        </>
      )}
      {view.imageNote && (
        <>
          <br />
          {view.imageNote}
        </>
      )}
      <br />
      <span class="m">
        {view.time}
        {!lean && `, ${view.audience}`}
        {!lean &&
          view.extraTags.map((tag) => (
            <>
              {' '}
              <Inlines parts={[tag]} />
            </>
          ))}
      </span>
    </p>
  );
}

/** A stream of updates; `lean` (tight budget) leaves out who could see each one. */
export function StreamList({
  entries,
  olderHref,
  chrome,
  lean = chrome.lean,
}: {
  entries: StreamEntry[];
  olderHref: string | null;
  chrome: Pick<Chrome, 'viewerId' | 'images' | 'lean'>;
  lean?: boolean;
}) {
  if (entries.length === 0) return <p>Nothing here yet.</p>;
  return (
    <>
      {entries.map((entry) => (
        <StreamItem view={describeEntry(entry, chrome)} lean={lean} />
      ))}
      {olderHref && (
        <p>
          <a href={olderHref} accesskey="9">
            [9] Older
          </a>
        </p>
      )}
    </>
  );
}
