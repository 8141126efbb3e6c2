/** Shape of a message catalogue: a nested tree of texts per language. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export type Tree = { [key: string]: string | Tree };
export type Catalogue = Record<Language, Tree>;
