/**
 * A failure the operator can fix, already phrased as one line with the reason and the fix:
 * main prints its message as is (no stack trace) and exits 1.
 */
export class CliFailure extends Error {
  override name = 'CliFailure';
}
