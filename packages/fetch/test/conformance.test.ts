import { adapterConformance } from '@redress/test-support'
import { driver } from './support/driver.ts'

adapterConformance(driver)
