import { library } from '../../tsup.shared'

// A Node program (it reads the packaged specs from disk); the shims give the CJS build the
// `import.meta.url` that locates them.
export default library({ platform: 'node', shims: true })
