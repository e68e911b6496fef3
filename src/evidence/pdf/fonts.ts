/*
 * The fonts the PDFs are set in: Noto Sans (Latin, Greek, Cyrillic; regular
 * and bold, about 0.6 MB each as TTF, precached by the service worker) and,
 * only when a text needs it, Noto Sans SC (Chinese, Japanese kana; 10.5 MB,
 * too big to precache: cached by the service worker the first time it is
 * fetched online). pdf-lib embeds a subset of each: only the glyphs drawn.
 *
 * The files come from npm packages (@expo-google-fonts/*, OFL-1.1), as TTF
 * because fontkit subsets TrueType outlines directly (a WOFF2 would have to
 * be decompressed with a JavaScript Brotli first). Vite turns each
 * `new URL(…, import.meta.url)` into a hashed asset; in Node (unit tests,
 * scripts) the URL is a file: URL, read from disk.
 */

export const FONT_URLS = {
  regular: new URL('../../../node_modules/@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf', import.meta.url),
  bold: new URL('../../../node_modules/@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf', import.meta.url),
  cjk: new URL('../../../node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf', import.meta.url),
} as const;

export type FontName = keyof typeof FONT_URLS;

async function readUrl(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:') {
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    return new Uint8Array(await fs.readFile(url));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`font ${url.pathname}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/* One load per font and page (a worker builds many PDFs): the promise is kept, a failure is not. */
const loading = new Map<FontName, Promise<Uint8Array>>();
const loaded = new Map<FontName, Uint8Array>();

export function loadFont(name: FontName): Promise<Uint8Array> {
  let p = loading.get(name);
  if (!p) {
    p = readUrl(FONT_URLS[name]).then(
      (bytes) => (loaded.set(name, bytes), bytes),
      (e: unknown) => {
        loading.delete(name);
        throw e;
      },
    );
    loading.set(name, p);
  }
  return p;
}

/** The bytes of a font already loaded, or undefined. */
export const loadedFont = (name: FontName): Uint8Array | undefined => loaded.get(name);

/** Han, kana, CJK punctuation and full-width forms: what Noto Sans lacks and Noto Sans SC has. */
const CJK = /[\u2e80-\u2fff\u3000-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]|[\u{20000}-\u{3134f}]/u;

export const needsCjk = (text: string): boolean => CJK.test(text);

/**
 * Loads the CJK font when `text` has a character of it. Resolves to false when
 * it cannot be had (offline and never fetched): the PDF then writes those
 * characters as [U+…] codes and says so.
 */
export async function prepareFontsFor(text: string): Promise<boolean> {
  if (!needsCjk(text)) return true;
  try {
    await loadFont('cjk');
    return true;
  } catch {
    return false;
  }
}

/** Text of UTF-8 bytes (e.g. Yjs updates, whose strings are UTF-8), to look for CJK without decoding the documents. */
export const textOfBytes = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: false }).decode(bytes);
