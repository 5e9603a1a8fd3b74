import { hostileUpstreamConformance } from '@redress/test-support'
import { driver } from './support/driver.ts'

hostileUpstreamConformance(driver)
