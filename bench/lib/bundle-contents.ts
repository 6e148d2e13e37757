// What a function's bundle carries, read from esbuild's metafile: argon2 (the function hashes or
// verifies passwords), the SES client (it sends mail), the common-password dictionary. Derived
// from the bundle itself, so there is no hand-kept list of such functions to drift from the code.
import type { Metafile } from 'esbuild';

/** Absent; loaded when the module is (static import); or only through an `import()` (lazy). */
export type Presence = 'no' | 'static' | 'lazy';

export interface BundleContents {
  argon2: Presence;
  ses: Presence;
  dictionary: Presence;
  /** Bytes the dictionary file adds to the bundle (0 when external or absent). */
  dictionaryBytes: number;
}

/** An import path (an external's specifier, or a bundled file's path) belongs to the package. */
const inPackage =
  (name: string) =>
  (path: string): boolean =>
    path === name || path.startsWith(`${name}/`) || path.includes(`node_modules/${name}/`);

/** What each property looks for. SES: the v1 client we use and the v2 one, should we switch. */
export const MATCHERS: Record<'argon2' | 'ses' | 'dictionary', (path: string) => boolean> = {
  argon2: inPackage('@node-rs/argon2'),
  ses: (path) => inPackage('@aws-sdk/client-ses')(path) || inPackage('@aws-sdk/client-sesv2')(path),
  // @zxcvbn-ts/language-common's passwords list (dist/passwords.json.mjs or .cjs), not its other
  // small dictionaries.
  dictionary: (path) => inPackage('@zxcvbn-ts/language-common')(path) && /\/passwords[^/]*$/.test(path),
};

const STATIC_KINDS = new Set(['import-statement', 'require-call']);

/** Every path (bundled file or external specifier) reachable from `entry` over edges of `kinds`. */
function reachable(meta: Metafile, entry: string, kinds: Set<string>): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let path = queue.pop(); path !== undefined; path = queue.pop()) {
    for (const edge of meta.inputs[path]?.imports ?? []) {
      if (!kinds.has(edge.kind) || seen.has(edge.path)) continue;
      seen.add(edge.path);
      if (!edge.external) queue.push(edge.path);
    }
  }
  return seen;
}

/**
 * Contents of the output file `outputPath` (a key of meta.outputs). Whether something is in the
 * bundle is read from the output (after tree shaking); whether it loads at import or only on first
 * use, from the input graph: "lazy" when no chain of static imports leads to it from the entry.
 */
export function bundleContents(meta: Metafile, outputPath: string): BundleContents {
  const output = meta.outputs[outputPath];
  if (!output?.entryPoint) throw new Error(`${outputPath}: not an entry point's output in the metafile`);
  const bundled = Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0);
  const externals = output.imports.filter((edge) => edge.external).map((edge) => edge.path);
  const statically = [...reachable(meta, output.entryPoint, STATIC_KINDS)];
  const presence = (matches: (path: string) => boolean): Presence => {
    const present = externals.some(matches) || bundled.some(([path]) => matches(path));
    if (!present) return 'no';
    return statically.some(matches) ? 'static' : 'lazy';
  };
  return {
    argon2: presence(MATCHERS.argon2),
    ses: presence(MATCHERS.ses),
    dictionary: presence(MATCHERS.dictionary),
    dictionaryBytes: bundled.filter(([path]) => MATCHERS.dictionary(path)).reduce((sum, [, input]) => sum + input.bytesInOutput, 0),
  };
}

/** The output file of each entry point, keyed by the entry's path as given to esbuild. */
export function outputsByEntry(meta: Metafile): Map<string, string> {
  const byEntry = new Map<string, string>();
  for (const [path, output] of Object.entries(meta.outputs)) if (output.entryPoint) byEntry.set(output.entryPoint, path);
  return byEntry;
}
