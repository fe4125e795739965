// Rich-tier building blocks shared by pages.
import type { StreamEntry } from '../../../shared/api.js';
import { CSRF_FIELD } from '../../session/csrf.js';
import type { ActionButton, Chrome } from '../chrome.js';
import { describeEntry, type EntryView, OFFSITE_IMAGE_REFERRER_POLICY } from '../entries.js';
import { Inlines } from '../inline.js';

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

export function FieldError({ message }: { message?: string | undefined }) {
  return message ? <p class="error">{message}</p> : null;
}

export function ActionForm({
  csrf,
  button,
  back,
  secondary,
}: {
  csrf: string;
  button: ActionButton;
  back?: string;
  secondary?: boolean;
}) {
  return (
    <form method="post" action={button.action}>
      <CsrfField token={csrf} />
      {back && <input type="hidden" name="back" value={back} />}
      {Object.entries(button.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={secondary ? 'secondary' : 'primary'}>
        {button.label}
      </button>
    </form>
  );
}

/** One entry of a stream (the view model is shared with the basic tier: entries.ts). */
export function StreamItem({ view, lean }: { view: EntryView; lean: boolean }) {
  return (
    <li class={`card entry-${view.type}`}>
      <p class="head">
        <Inlines parts={view.headline} />
        {view.quote !== null && <span class="quote">: “{view.quote}”</span>}
      </p>
      {view.titled && (
        <p class="title">
          {view.titled.href ? (
            <Inlines parts={[{ text: view.titled.text, href: view.titled.href, external: true }]} />
          ) : (
            <strong>{view.titled.text}</strong>
          )}
        </p>
      )}
      {view.body.length > 0 && (
        <p class="text">
          <Inlines parts={view.body} />
        </p>
      )}
      {view.image && (
        <img
          class="photo"
          src={view.image.src}
          alt={view.image.alt}
          loading="lazy"
          decoding="async"
          referrerpolicy={view.image.offsite ? OFFSITE_IMAGE_REFERRER_POLICY : undefined}
        />
      )}
      {view.imageNote && <p class="meta">{view.imageNote}</p>}
      <div class="meta">
        {view.time}
        {!lean && ` · ${view.audience}`}
        {!lean &&
          view.extraTags.map((tag) => (
            <>
              {' '}
              <Inlines parts={[tag]} />
            </>
          ))}
      </div>
    </li>
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
  if (entries.length === 0) return <p class="empty">Nothing here yet.</p>;
  return (
    <>
      <ul class="stream">
        {entries.map((entry) => (
          <StreamItem view={describeEntry(entry, chrome)} lean={lean} />
        ))}
      </ul>
      {olderHref && (
        <a class="older" href={olderHref}>
          Older updates
        </a>
      )}
    </>
  );
}
