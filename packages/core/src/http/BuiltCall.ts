import type { Classifier, ResultClassifier } from '../Classification.ts'
import type { CallOptions } from '../policy/RetryOptions.ts'

/** The call options of a built run: its request-aware classifiers are always set. */
export type BuiltCall = CallOptions & { classifier: Classifier; resultClassifier: ResultClassifier }
