import { formatBytes } from '../domain/bytes';
import { sha256HexAsync } from '../domain/sha256';

/**
 * Turns a file the user picked into the bytes Muster stores, BEFORE anything
 * is stored: photos are decoded, shrunk so the longest side is at most 1600 px
 * and saved as JPEG (which also drops EXIF data such as the GPS position);
 * PDFs, and PNGs already small enough (drawn signatures, screenshots), are
 * kept byte for byte. Anything else, and anything too large, is refused with
 * a sentence the user can act on.
 */

/** Largest attachment, after resizing. The relay's default MAX_BLOB_BYTES is the same. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** Longest side of a stored photo, in pixels. */
export const MAX_PHOTO_SIDE = 1600;
export const JPEG_QUALITY = 0.82;
/** A picture bigger than this is not even decoded: a phone could run out of memory. */
export const MAX_SOURCE_IMAGE_BYTES = 40 * 1024 * 1024;
/** What is ever stored (the relay accepts exactly these). */
export const STORED_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;

export interface PreparedAttachment {
  /** File name shown to people (the extension follows the stored type). */
  name: string;
  type: string;
  size: number;
  bytes: Uint8Array;
  /** Hex SHA-256 of `bytes`. */
  hash: string;
  /** Pixel size of a stored picture. */
  width?: number;
  height?: number;
  /** True when the picture was re-encoded (resized or converted to JPEG). */
  converted: boolean;
}

export type Prepared = { ok: true; value: PreparedAttachment } | { ok: false; error: string };

/** What prepare() needs from a picked File. */
export interface PickedFile {
  name: string;
  type: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** A decoded picture that can be drawn at another size. */
export interface DecodedImage {
  width: number;
  height: number;
  /** JPEG bytes of the picture drawn at width × height on white. */
  encodeJpeg(width: number, height: number, quality: number): Promise<Uint8Array>;
  close(): void;
}

export interface ImageCodec {
  decode(file: PickedFile): Promise<DecodedImage>;
}

export interface PrepareOptions {
  maxBytes?: number;
  maxSide?: number;
  /** Defaults to the browser's (createImageBitmap + canvas); tests pass their own. */
  codec?: ImageCodec;
}

/** Width and height scaled so that the longest side is at most `max` (never enlarged). */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= max) return { width, height };
  const scale = max / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export type Sniffed = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' | 'application/pdf' | null;

/** The type the first bytes say, whatever the file name or the browser claim. */
export function sniff(head: Uint8Array): Sniffed {
  const at = (i: number, ...bytes: number[]) => bytes.every((b, k) => head[i + k] === b);
  if (at(0, 0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp'; // RIFF....WEBP
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'image/gif'; // GIF8
  return null;
}

const quoted = (name: string) => `“${name || 'the file'}”`;

/** A display name: trimmed, at most 120 characters, with the extension of the stored type. */
export function storedName(original: string, type: string): string {
  const ext = type === 'application/pdf' ? 'pdf' : type === 'image/png' ? 'png' : type === 'image/webp' ? 'webp' : 'jpg';
  // Control characters would garble the list and any export.
  const clean = original.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const base = clean.replace(/\.[A-Za-z][A-Za-z0-9]{0,4}$/, '') || (type === 'application/pdf' ? 'document' : 'photo');
  return `${base.slice(0, 115)}.${ext}`;
}

export async function prepareAttachment(file: PickedFile, opts: PrepareOptions = {}): Promise<Prepared> {
  const maxBytes = opts.maxBytes ?? MAX_ATTACHMENT_BYTES;
  const maxSide = opts.maxSide ?? MAX_PHOTO_SIDE;
  const name = quoted(file.name);
  if (file.size === 0) return { ok: false, error: `${name} is empty: there is nothing to attach.` };
  const kind = sniff(new Uint8Array(await file.slice(0, 16).arrayBuffer()));

  if (kind === 'application/pdf') {
    if (file.size > maxBytes) {
      return {
        ok: false,
        error: `${name} is ${formatBytes(file.size)}; a PDF can be at most ${formatBytes(maxBytes)}. Save a smaller copy (for example scanned at a lower resolution, or only the signed pages) and attach that.`,
      };
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    return { ok: true, value: { name: storedName(file.name, kind), type: kind, size: bytes.length, bytes, hash: await sha256HexAsync(bytes), converted: false } };
  }

  // Pictures: the ones we recognise, and whatever else the browser calls an image and can decode (e.g. HEIC on an iPhone).
  if (kind === null && !file.type.startsWith('image/')) {
    if (file.type === 'application/pdf' || /\.pdf$/i.test(file.name)) return { ok: false, error: `${name} is not a valid PDF: it does not start like one.` };
    return { ok: false, error: `Muster can attach photos (JPEG, PNG, WebP) and PDFs. ${name} is neither: save it as a PDF first.` };
  }
  if (file.size > MAX_SOURCE_IMAGE_BYTES) {
    return { ok: false, error: `${name} is ${formatBytes(file.size)}, too large to process on this device (at most ${formatBytes(MAX_SOURCE_IMAGE_BYTES)}). Take the photo at a lower resolution.` };
  }
  const codec = opts.codec ?? browserCodec;
  let image: DecodedImage;
  try {
    image = await codec.decode(file);
  } catch {
    return { ok: false, error: `Muster could not read ${name} as a picture. Attach a JPEG or PNG photo instead.` };
  }
  try {
    if (!(image.width > 0 && image.height > 0)) return { ok: false, error: `${name} has no pixels to show.` };
    // A PNG that is already small (a drawn signature, a screenshot) is kept exactly as it is.
    if (kind === 'image/png' && Math.max(image.width, image.height) <= maxSide && file.size <= maxBytes) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      return { ok: true, value: { name: storedName(file.name, kind), type: kind, size: bytes.length, bytes, hash: await sha256HexAsync(bytes), width: image.width, height: image.height, converted: false } };
    }
    const target = fitWithin(image.width, image.height, maxSide);
    let bytes = await image.encodeJpeg(target.width, target.height, JPEG_QUALITY);
    // A very detailed picture can still be large at 1600 px: try once more at a lower quality.
    if (bytes.length > maxBytes) bytes = await image.encodeJpeg(target.width, target.height, 0.6);
    if (bytes.length > maxBytes) {
      return { ok: false, error: `${name} is still ${formatBytes(bytes.length)} after shrinking it to ${target.width} × ${target.height}; attachments can be at most ${formatBytes(maxBytes)}.` };
    }
    return {
      ok: true,
      value: { name: storedName(file.name, 'image/jpeg'), type: 'image/jpeg', size: bytes.length, bytes, hash: await sha256HexAsync(bytes), ...target, converted: true },
    };
  } catch (err) {
    return { ok: false, error: `Muster could not shrink ${name}: ${err instanceof Error ? err.message : String(err)}. Try a smaller photo.` };
  } finally {
    image.close();
  }
}

/** The browser's decoder and encoder: createImageBitmap, then an OffscreenCanvas (or a canvas element). */
export const browserCodec: ImageCodec = {
  async decode(file) {
    const bitmap = await createImageBitmap(file as unknown as Blob, { imageOrientation: 'from-image' });
    return {
      width: bitmap.width,
      height: bitmap.height,
      async encodeJpeg(width, height, quality) {
        let blob: Blob | null;
        if (typeof OffscreenCanvas !== 'undefined') {
          const canvas = new OffscreenCanvas(width, height);
          draw(canvas.getContext('2d'), bitmap, width, height);
          blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
        } else {
          const canvas = document.createElement('canvas');
          canvas.width = width;
          canvas.height = height;
          draw(canvas.getContext('2d'), bitmap, width, height);
          blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
        }
        if (!blob) throw new Error('the browser could not encode a JPEG');
        return new Uint8Array(await blob.arrayBuffer());
      },
      close: () => bitmap.close(),
    };
  },
};

function draw(ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null, bitmap: ImageBitmap, width: number, height: number): void {
  if (!ctx) throw new Error('no 2D canvas on this browser');
  // JPEG has no transparency: a transparent PNG goes on white, not black.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
}
