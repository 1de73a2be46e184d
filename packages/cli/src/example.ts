import { fileURLToPath } from 'node:url'

/**
 * The demo file shipped in the package (`examples/keys.csv`, copied from the repository's
 * examples/ by the build): 382 keys of the embedded sandbox's demo data. This module sits one
 * directory below the package root both as source (src/) and built (dist/).
 */
export const EXAMPLE_FILE = fileURLToPath(new URL('../examples/keys.csv', import.meta.url))
