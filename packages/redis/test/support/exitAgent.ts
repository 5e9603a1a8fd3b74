// A child process that uses a budget and a breaker on a real Redis until both are in step with
// the fleet, then quits its client without closing them, and does nothing more: it must end by
// itself (every timer of @redress/redis is unref'ed), with exit code 0 (3 after an unhandled
// rejection). Arguments: the client kind and the Redis port.
import { ErrorClass } from '@redress/core'
import { redisBreakers, redisBudgets } from '../../src/index.ts'
import { type ClientKind, connect } from './clients.ts'

process.on('unhandledRejection', (reason) => {
  console.error('unhandled rejection:', reason)
  process.exitCode = 3
})

const [kind, port] = process.argv.slice(2)
const c = await connect(kind as ClientKind, Number(port))
const sync = { client: c.client, syncIntervalMs: 10, reconnectIntervalMs: 10, onLog: () => {} }
const budget = redisBudgets(sync)('https://exit.example')
const breaker = redisBreakers(sync)('https://exit.example')
budget.recordFailure(ErrorClass.SERVER_ERROR)
breaker.record({ kind: 'failure', errorClass: ErrorClass.SERVER_ERROR }, breaker.admit())
const deadline = performance.now() + 30_000
while (budget.mode !== 'fleet' || breaker.mode !== 'fleet') {
  if (performance.now() > deadline) throw new Error('no sync within 30 s')
  await new Promise((resolve) => setTimeout(resolve, 5))
}
await c.quit()
// Still in use after the client is gone: their syncs fail from now on, in the background.
budget.tryAcquire()
breaker.admit()
console.log('client quit')
