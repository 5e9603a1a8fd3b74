import { hedgeConformance } from '@redress/test-support'
import { driver } from './support/driver.ts'

hedgeConformance(driver)
