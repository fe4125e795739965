// Renders the text-and-links runs of a view model (entries.ts) the same way in both tiers.
import { EXTERNAL_REL, type Inline } from './entries.js';

export function Inlines({ parts }: { parts: readonly Inline[] }) {
  return (
    <>
      {parts.map((part) =>
        typeof part === 'string' ? (
          part
        ) : part.external ? (
          <a href={part.href} rel={EXTERNAL_REL}>
            {part.text}
          </a>
        ) : (
          <a href={part.href}>{part.text}</a>
        ),
      )}
    </>
  );
}
