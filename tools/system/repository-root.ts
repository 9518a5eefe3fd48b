import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding nest-cli.json, found from this file whether it runs from source or compiled. */
export function repositoryRoot(): string {
  let folder = __dirname;
  while (!existsSync(join(folder, 'nest-cli.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('not inside the Orderflow repository');
    folder = parent;
  }
  return folder;
}
