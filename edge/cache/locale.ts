// The visitor's language for cache keys: the primary tag of the preferred Accept-Language entry,
// from a small supported set (anything else, or nothing, is 'en'). A small set keeps the number
// of cached copies per page bounded and the purge after a write cheap.
export const LOCALES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'tr', 'ru', 'ar', 'hi', 'id', 'ja', 'zh', 'sw'];
export const DEFAULT_LOCALE = 'en';
const SUPPORTED = new Set(LOCALES);

export function localeOf(acceptLanguage: string | undefined | null): string {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  let preferred = '';
  let preferredQ = 0;
  for (const part of acceptLanguage.slice(0, 256).split(',').slice(0, 16)) {
    const [tag, ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > preferredQ) {
      preferred = tag?.trim().toLowerCase().split('-')[0] ?? '';
      preferredQ = q;
    }
  }
  return SUPPORTED.has(preferred) ? preferred : DEFAULT_LOCALE;
}
