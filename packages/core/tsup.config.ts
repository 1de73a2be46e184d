import { library } from '../../tsup.shared'

// `@billingkey/core/errors` is the public error list every package re-exports; splitting keeps
// one copy of each class (a shared chunk), so `instanceof` holds whichever entry was imported.
export default library({ entry: ['src/index.ts', 'src/errors.ts'], splitting: true })
