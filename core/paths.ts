import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project root (the folder of package.json), the same whether run from sources (tsx) or from dist/. */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findRoot(__dirname);
export const fromRoot = (...parts: string[]): string => path.join(projectRoot, ...parts);
