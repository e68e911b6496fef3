/* The colours the evidence documents use (PDF pack, minutes, matrices): RGB 0…1, so a table style can name them without the PDF code. */

export type Rgb = readonly [number, number, number];

export const INK: Rgb = [0.09, 0.13, 0.17];
export const MUTED: Rgb = [0.36, 0.4, 0.45];
export const BRAND: Rgb = [0.12, 0.31, 0.47];
export const OK: Rgb = [0.11, 0.48, 0.27];
export const WARN: Rgb = [0.54, 0.35, 0];
export const BAD: Rgb = [0.71, 0.14, 0.09];
