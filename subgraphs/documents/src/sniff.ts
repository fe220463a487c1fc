import { fileTypeFromBuffer } from 'file-type';

/**
 * The types a citizen may attach: scans as PDF, photos as JPEG or PNG. A file's type is what its
 * bytes are (file-type reads the magic numbers), never only what the browser or the file name says.
 */
export const ALLOWED_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AllowedType = (typeof ALLOWED_TYPES)[number];

export const isAllowedType = (type: string): type is AllowedType => (ALLOWED_TYPES as readonly string[]).includes(type);

/** Declared types as browsers and phones send them, normalised (`image/jpg`, parameters, case). */
export const normaliseType = (declared: string): string => {
  const t = declared.split(';')[0]!.trim().toLowerCase();
  return t === 'image/jpg' || t === 'image/pjpeg' ? 'image/jpeg' : t;
};

/** The media type the content really has, from its first bytes; undefined when file-type knows none. */
export async function sniffType(content: Uint8Array): Promise<string | undefined> {
  return (await fileTypeFromBuffer(content.subarray(0, 4100)))?.mime;
}
