import { parseBuffer } from 'music-metadata';

/** What a reader makes of Ogg audio: codec, channels, rate and, from the last granule, its samples. */
export async function oggFormat(ogg: Uint8Array) {
  return (await parseBuffer(ogg, { mimeType: 'audio/ogg' }, { duration: true })).format;
}
