// The built web UI's size on disk and gzipped (level 9), over every file under dist/ui.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { UI_DIR } from '../../appliance/web/routes/ui.js';

export function builtUiSize(dir = UI_DIR): { raw: number; gz: number } {
  let raw = 0;
  let gz = 0;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const bytes = readFileSync(path);
        raw += bytes.length;
        gz += gzipSync(bytes, { level: 9 }).length;
      }
    }
  };
  walk(dir);
  return { raw, gz };
}
