import { open } from 'node:fs/promises';

/**
 * A rename or a new file is durable only once its folder's entry is: fsync the folder. Windows
 * cannot open a folder for that (and NTFS journals the entry itself): nothing to do there.
 */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
