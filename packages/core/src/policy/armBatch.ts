import { RESOLVED } from './resolvedPromise.ts'

/** What the arming batches hold: an attempt whose deadline starts when its batch runs. */
export interface Armable {
  /** Starts the attempt's deadline at `nowMs` (NaN: read the clock). */
  arm(nowMs: number): void
}

/**
 * The batches of attempts waiting to be armed: one object, not module-level `let`s, so that each
 * access is a plain property load rather than a context-slot read with a temporal-dead-zone
 * check. The arrays are never shrunk (setting an array's length is slow); slots are cleared as
 * they are used.
 */
const ARM = {
  micro: [] as Array<Armable | undefined>,
  microCount: 0,
  macro: [] as Array<Armable | undefined>,
  macroCount: 0,
  macroScheduled: false,
}
// Past this many attempts started in one macrotask, the next ones are armed at once.
const MAX_MACRO_BATCH = 1024

/** `setImmediate` where there is one (read at each use, so fake timers apply), else `setTimeout(0)`. */
function nextMacrotask(f: () => void): void {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown }
  if (typeof g.setImmediate === 'function') g.setImmediate(f)
  else setTimeout(f, 0)
}

function armMacroBatch(): void {
  ARM.macroScheduled = false
  const n = ARM.macroCount
  ARM.macroCount = 0
  if (n === 0) return
  const now = performance.now()
  const batch = ARM.macro
  // arm() never starts another call, so the batch cannot grow while it is walked.
  for (let i = 0; i < n; i++) {
    const call = batch[i]
    batch[i] = undefined
    call?.arm(now)
  }
}

function armMicroBatch(): void {
  const n = ARM.microCount
  ARM.microCount = 0
  const batch = ARM.micro
  for (let i = 0; i < n; i++) {
    const call = batch[i]
    batch[i] = undefined
    call?.arm(Number.NaN)
  }
}

/**
 * Queues `call` to be armed: with real time, in the batch run at the next macrotask (returns its
 * slot), or at once when the batch is full (returns -1); with an injected clock, in the batch run
 * one microtask later (returns -1).
 *
 * Arming later, in a batch, means that an attempt whose promise settles at once (an in-memory
 * operation, a cache hit) never reads the clock — `performance.now()` alone costs more than the
 * rest of the call — nor touches the deadline queue. With the system clock no timer can fire
 * before the next macrotask anyway, and an attempt that settles first takes its slot back (the
 * last one pushed, in a sequential loop: `unscheduleArm`), so the batch costs one push and one
 * pop. The time an attempt is armed is its start time: at most the rest of the current
 * macrotask late. With an injected clock (`FakeClock`) the batch runs one microtask later, so
 * virtual time cannot move before the timeout is set.
 */
export function scheduleArm(call: Armable, realTime: boolean): number {
  const arm = ARM
  if (!realTime) {
    if (arm.microCount === 0) RESOLVED.then(armMicroBatch)
    arm.micro[arm.microCount++] = call
    return -1
  }
  const slot = arm.macroCount
  if (slot >= MAX_MACRO_BATCH) {
    call.arm(performance.now())
    return -1
  }
  arm.macro[slot] = call
  arm.macroCount = slot + 1
  if (!arm.macroScheduled) {
    arm.macroScheduled = true
    nextMacrotask(armMacroBatch)
  }
  return slot
}

/** Takes `call` back out of the macrotask batch when it settled first and was the last one queued. */
export function unscheduleArm(call: Armable, slot: number): void {
  const arm = ARM
  // In a sequential loop the attempt that settles is the last one pushed: take its slot back.
  if (slot === arm.macroCount - 1 && arm.macro[slot] === call) {
    arm.macro[slot] = undefined
    arm.macroCount = slot
  }
}
