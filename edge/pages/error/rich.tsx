import { EXTERNAL_REL, isOffsite } from '../../ui/entries.js';
import type { ErrorModel } from './model.js';

export function ErrorRich(model: ErrorModel) {
  return (
    <section class="card">
      <h1>{model.heading}</h1>
      <p>{model.message}</p>
      {model.detail && <p class="meta">{model.detail}</p>}
      <a class="button" href={model.link.href} rel={isOffsite(model.link.href) ? EXTERNAL_REL : undefined}>
        {model.link.label}
      </a>
    </section>
  );
}
