/** The gateway's `gateway_token_verifications_total` by outcome, read from its /metrics. */
export async function readVerificationOutcomes(gatewayUrl: string): Promise<Record<string, number>> {
  const response = await fetch(`${gatewayUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return parseVerificationOutcomes(await response.text());
}

/** The outcome counts in a Prometheus text exposition (label order and other labels do not matter). */
export function parseVerificationOutcomes(exposition: string): Record<string, number> {
  const outcomes: Record<string, number> = {};
  for (const match of exposition.matchAll(
    /^gateway_token_verifications_total\{[^}]*outcome="([a-z_]+)"[^}]*\} (\d+)/gm,
  )) {
    const [, outcome, count] = match;
    if (outcome) outcomes[outcome] = (outcomes[outcome] ?? 0) + Number(count);
  }
  return outcomes;
}

/** "matched 1, mismatched 30, over_budget 7970": what happened between two readings. */
export function describeOutcomeChange(before: Record<string, number>, after: Record<string, number>): string {
  return Object.entries(after)
    .map(([outcome, count]) => [outcome, count - (before[outcome] ?? 0)] as const)
    .filter(([, delta]) => delta > 0)
    .map(([outcome, delta]) => `${outcome} ${delta}`)
    .join(', ');
}
