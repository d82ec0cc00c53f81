/**
 * The attestation ids an answer button's value carries: one (`17`) or, for Confirm all, several (`17,18,19`).
 * A value a person could have edited (a console number, a forged Slack payload) yields only whole positive ids.
 */
export function attestationIdsOf(value: string | undefined): number[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => /^\d+$/.test(part))
    .map(Number)
    .filter((id) => Number.isSafeInteger(id) && id > 0);
}
