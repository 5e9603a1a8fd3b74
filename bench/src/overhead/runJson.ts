import { spawn } from 'node:child_process'

/**
 * Runs `node <args>` as a child process (its stderr passed through) and parses what it
 * printed on stdout as JSON. `env` replaces the child's environment. A non-zero exit is an
 * `Error` naming the command.
 */
export async function runJson<T>(
  node: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<T> {
  const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'inherit'], env })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d
  })
  const code = await new Promise<number | null>((r) => child.on('close', r))
  if (code !== 0) throw new Error(`${node} ${args.join(' ')} exited with ${code}`)
  return JSON.parse(out) as T
}
