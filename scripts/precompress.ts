import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * Build step (vite.config.ts runs it after vite-plugin-pwa has written sw.js):
 * writes `<file>.br` (Brotli, quality 11) and `<file>.gz` (gzip -9) next to
 * every text asset in dist/ worth compressing. The relay picks one by
 * Accept-Encoding (server/static.ts). Compression is Node's zlib.
 */

export const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml|map)$/i;
/** Below this, the encoded bytes save less than the headers cost. */
const MIN_BYTES = 1024;

export function precompress(dir: string): { files: number; raw: number; br: number; gz: number } {
  const total = { files: 0, raw: 0, br: 0, gz: 0 };
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !COMPRESSIBLE.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const data = fs.readFileSync(file);
    if (data.length < MIN_BYTES) continue;
    const br = zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT },
    });
    const gz = zlib.gzipSync(data, { level: 9 });
    fs.writeFileSync(`${file}.br`, br);
    fs.writeFileSync(`${file}.gz`, gz);
    total.files++;
    total.raw += data.length;
    total.br += br.length;
    total.gz += gz.length;
  }
  return total;
}
