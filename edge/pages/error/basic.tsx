import { EXTERNAL_REL, isOffsite } from '../../ui/entries.js';
import type { ErrorModel } from './model.js';

export function ErrorBasic(model: ErrorModel) {
  return (
    <>
      <h1>{model.heading}</h1>
      <p>{model.message}</p>
      {model.detail && <p class="m">{model.detail}</p>}
      <p>
        <a href={model.link.href} rel={isOffsite(model.link.href) ? EXTERNAL_REL : undefined}>
          {model.link.label}
        </a>
      </p>
    </>
  );
}
