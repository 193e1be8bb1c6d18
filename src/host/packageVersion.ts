// dwf's version read at run time from the package it was loaded from: the bundles (dist/) and the
// unbundled test build (out/) sit at different depths, so a static import of package.json breaks one.
import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'dynamic-workflows';

/** The version in the nearest package.json above `from` that is dwf's own. */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error(`dwf's package.json was not found above ${from}`);
  }
}
