// Basic-tier building blocks: XHTML-MP-safe (block content inside forms, no scripts).
import type { StreamEntry } from '../../../shared/api.js';
import { CSRF_FIELD } from '../../session/csrf.js';
import type { ActionButton } from '../chrome.js';
import { audienceLabel, formatTime } from '../format.js';

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

/** A stream of updates; `lean` (tight budget) leaves out who could see each one. */
export function StreamList({
  entries,
  olderHref,
  lean = false,
}: {
  entries: StreamEntry[];
  olderHref: string | null;
  lean?: boolean;
}) {
  if (entries.length === 0) return <p>Nothing here yet.</p>;
  return (
    <>
      {entries.map((entry) => (
        <p>
          <a href={`/u/${entry.actor.username}`}>{entry.actor.displayName}</a>: {entry.text}
          <br />
          <span class="m">
            {formatTime(entry.createdAt)}
            {!lean && `, ${audienceLabel(entry.audience)}`}
          </span>
        </p>
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
