import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';

// The DOS epoch in local time: yazl writes local-time fields, so this reads the same in any zone.
const FIXED_TIME = () => new Date(1980, 0, 1, 0, 0, 0);
const FILE_MODE = 0o100644;

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return filesUnder(path.join(dir, entry.name), relative);
    return entry.isFile() ? [relative] : [];
  });
}

/**
 * Zips a built extension so that the same files give the same bytes: names sorted, one fixed
 * time, one mode, no extended timestamps. Returns the zip's sha256, which keys the upload.
 */
export async function deterministicZip(dir: string, zipFile: string): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const file of filesUnder(dir).sort()) {
    zip.addBuffer(readFileSync(path.join(dir, file)), file, {
      mtime: FIXED_TIME(),
      mode: FILE_MODE,
      forceDosTimestamp: true,
      compress: true,
    });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  writeFileSync(zipFile, bytes);
  return createHash('sha256').update(bytes).digest('hex');
}
