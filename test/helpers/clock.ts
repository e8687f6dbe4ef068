/**
 * Waits for the next minute when this one is nearly over. The rate-limit window is the database's clock minute:
 * a burst started early in a minute cannot straddle two, so a test's uploads share one window.
 */
export async function awaitFreshMinute (): Promise<void> {
  const second = new Date().getUTCSeconds()
  if (second < 45) return
  await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000))
}
