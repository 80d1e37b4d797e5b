/** One figure against the target an issue set for it. */
export interface TargetCheck {
  name: string;
  value: number;
  target: number;
  /** `ratio`: at least target, shown as percentages; `at-least`/`at-most`: plain numbers. */
  kind: 'ratio' | 'at-least' | 'at-most';
  met: boolean;
}

export function targetCheck(name: string, value: number, target: number, kind: TargetCheck['kind']): TargetCheck {
  const met = kind === 'at-most' ? value <= target : value >= target;
  return { name, value, target, kind, met };
}

/** "target met   authenticated vs express + pg: 52% (target ≥ 40%)". */
export function formatTargetCheck(check: TargetCheck): string {
  const shown =
    check.kind === 'ratio' ? `${Math.round(check.value * 100)}%` : String(Math.round(check.value * 10) / 10);
  const target =
    check.kind === 'ratio'
      ? `≥ ${Math.round(check.target * 100)}%`
      : `${check.kind === 'at-most' ? '≤' : '≥'} ${check.target}`;
  return `${check.met ? 'target met   ' : 'BELOW TARGET '} ${check.name}: ${shown} (target ${target})`;
}
