// Rich-tier building blocks shared by pages.
import type { StreamEntry } from '../../../shared/api.js';
import { CSRF_FIELD } from '../../session/csrf.js';
import type { ActionButton } from '../chrome.js';
import { audienceLabel, formatTime } from '../format.js';

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
  if (entries.length === 0) return <p class="empty">Nothing here yet.</p>;
  return (
    <>
      <ul class="stream">
        {entries.map((entry) => (
          <li class="card">
            <div class="meta">
              <a href={`/u/${entry.actor.username}`}>
                <strong>{entry.actor.displayName}</strong>
              </a>{' '}
              · {formatTime(entry.createdAt)}
              {!lean && ` · ${audienceLabel(entry.audience)}`}
            </div>
            <p class="text">{entry.text}</p>
          </li>
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
