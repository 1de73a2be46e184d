/** Where a run reads and writes; `run()` fills the missing parts from `process`. */
export interface Output {
  write(chunk: string): unknown
  /** true when the stream is a terminal: colours on stdout, a live progress bar on stderr */
  isTTY?: boolean
  columns?: number
}

export interface Io {
  stdout: Output
  stderr: Output
  env: Record<string, string | undefined>
  /** relative paths (input files, --out) resolve against this */
  cwd: string
  /** stops a running audit or lookup and the foreground sandbox (the bin wires SIGINT/SIGTERM) */
  signal?: AbortSignal
}

export function defaultIo(io: Partial<Io> = {}): Io {
  return {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
    ...(io.signal ? { signal: io.signal } : {}),
  }
}
