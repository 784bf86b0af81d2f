/**
 * The order of `a.localeCompare(b)` (the default locale's collation), from one collator: `localeCompare` without
 * locales or options is defined as a comparison by a fresh `Intl.Collator()` (ECMA-402), which it builds per call.
 * For sorts on the synthesis path, where that cost adds up per graph.
 */
export const byLocale: (a: string, b: string) => number = new Intl.Collator().compare;
