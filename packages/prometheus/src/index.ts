/** Placeholder until the package is written. */
export const PACKAGE_NAME: string = '@redress/prometheus'
