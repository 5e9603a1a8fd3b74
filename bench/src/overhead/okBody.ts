/** The body of every successful response in the benchmark, from the server's `GET /ok` and from the fake transports. */
export const OK_BODY: string = JSON.stringify({ ok: true, id: 1, name: 'redress' })
