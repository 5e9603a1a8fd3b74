/**
 * The most telling short name of a failure: the first string `code` along the `cause`
 * chain (`ECONNRESET`, `UND_ERR_SOCKET`), else the error's `name` (`TimeoutError`).
 * fetch hides the socket's code under `cause` of a generic `TypeError`, hence the walk.
 */
export function errorCode(error: unknown): string {
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code: unknown = Reflect.get(current, 'code')
    if (typeof code === 'string' && code.length > 0) return code
    current = Reflect.get(current, 'cause')
  }
  if (typeof error === 'object' && error !== null) {
    const name: unknown = Reflect.get(error, 'name')
    if (typeof name === 'string') return name
  }
  return String(error)
}
