/**
 * Waits for every promise to settle, then rejects with the first failure, if
 * any, so that no work is still running when the caller goes on.
 */
export async function settleAll(work: readonly (Promise<unknown> | undefined)[]): Promise<void> {
  const outcomes = await Promise.allSettled(work);
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
