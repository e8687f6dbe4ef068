/** Waits for the next minute when this one is nearly over, so that a test's uploads share one rate-limit window. */
export async function awaitFreshMinute (): Promise<void> {
  const second = new Date().getUTCSeconds()
  if (second < 45) return
  await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000))
}
