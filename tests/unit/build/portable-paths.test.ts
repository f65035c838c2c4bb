/**
 * The portable build on a USB stick keeps its archive beside the executable when the folder
 * PecDesk-dati is there (or after one start with --portable); installed, nothing changes.
 * electron-builder's portable target says where the .exe was started from in
 * PORTABLE_EXECUTABLE_DIR (it runs from a temporary folder itself); an AppImage in APPIMAGE.
 */
import { describe, expect, it } from 'vitest';
import { PORTABLE_FLAG, PORTABLE_FOLDER, portableDataDir, resolveArchiveDir } from '../../../main/paths.ts';

const stick = { PORTABLE_EXECUTABLE_DIR: 'E:\\PecDesk', APPDATA: 'C:\\Users\\giulia\\AppData\\Roaming' };
const folders =
  (...dirs: string[]) =>
  (path: string) =>
    dirs.includes(path);

describe('the portable switch', () => {
  it('on a stick with PecDesk-dati beside the .exe: the archive is there', () => {
    const portable = portableDataDir([], stick, folders('E:\\PecDesk\\PecDesk-dati'), 'win32');
    expect(portable).toBe('E:\\PecDesk\\PecDesk-dati');
    expect(resolveArchiveDir(undefined, stick, portable, 'win32')).toBe('E:\\PecDesk\\PecDesk-dati\\archive');
    expect(PORTABLE_FOLDER).toBe('PecDesk-dati');
  });

  it('without the folder the portable .exe uses the PC’s user folder, unless started with --portable', () => {
    expect(portableDataDir([], stick, folders(), 'win32')).toBeUndefined();
    expect(portableDataDir(['PecDesk.exe', PORTABLE_FLAG], stick, folders(), 'win32')).toBe(
      'E:\\PecDesk\\PecDesk-dati',
    );
  });

  it('an AppImage: the folder beside the .AppImage file', () => {
    const env = { APPIMAGE: '/media/giulia/USB/PecDesk-0.1.0.AppImage', HOME: '/home/giulia' };
    const portable = portableDataDir([], env, folders('/media/giulia/USB/PecDesk-dati'), 'linux');
    expect(portable).toBe('/media/giulia/USB/PecDesk-dati');
    expect(resolveArchiveDir(undefined, env, portable, 'linux')).toBe(
      '/media/giulia/USB/PecDesk-dati/archive',
    );
  });

  it('an installed build is never portable, even with the folder or the flag', () => {
    const env = { HOME: '/home/giulia' };
    expect(portableDataDir([PORTABLE_FLAG], env, () => true, 'linux')).toBeUndefined();
    expect(resolveArchiveDir(undefined, env, undefined, 'linux')).toBe(
      '/home/giulia/.config/PecDesk/archive',
    );
  });

  it('--archive and PECDESK_ARCHIVE still win over the portable folder', () => {
    const portable = 'E:\\PecDesk\\PecDesk-dati';
    expect(resolveArchiveDir('D:\\Altro', stick, portable, 'win32')).toBe('D:\\Altro');
    expect(resolveArchiveDir(undefined, { ...stick, PECDESK_ARCHIVE: 'F:\\Arch' }, portable, 'win32')).toBe(
      'F:\\Arch',
    );
  });
});
