import type { DatacenterOffer, EntryRequirement, OfferedProfile, Usage } from './offers';
import { offerSatisfies } from './offers';

/** How an entry fits a datacenter: which offered profile serves each needed one, and the price per hour. */
export interface EntryFit {
  datacenter: DatacenterOffer;
  /** deployment profile → the datacenter's profile */
  profiles: Map<string, string>;
  price: number;
}

function freeOf(usage: Usage, datacenterId: string, offer: OfferedProfile, takenHere: Map<string, number>): number {
  const used = usage.get(datacenterId)?.get(offer.name) ?? 0;
  return offer.capacity - used - (takenHere.get(offer.name) ?? 0);
}

/**
 * The cheapest way `datacenter` serves every profile of the entry with room for its nodes; undefined when it
 * cannot. `usage` counts nodes already there; `credit` gives back nodes this entry already holds there.
 */
export function fitEntry(
  datacenter: DatacenterOffer,
  requirement: EntryRequirement,
  usage: Usage,
  credit: Map<string, number> = new Map(),
): EntryFit | undefined {
  if (datacenter.state !== 'up' || datacenter.region !== requirement.region) return undefined;
  const taken = new Map<string, number>();
  for (const [name, count] of credit) taken.set(name, -count);
  const profiles = new Map<string, string>();
  let price = 0;
  // Largest needs first (requirementsOf orders them), so a small one does not take the only profile a large one fits.
  for (const need of requirement.needs) {
    let best: OfferedProfile | undefined;
    for (const offer of datacenter.profiles) {
      if (!offerSatisfies(offer, need)) continue;
      if (freeOf(usage, datacenter.id, offer, taken) < need.nodes) continue;
      if (!best || offer.price < best.price) best = offer;
    }
    if (!best) return undefined;
    profiles.set(need.profile, best.name);
    taken.set(best.name, (taken.get(best.name) ?? 0) + need.nodes);
    price += best.price * need.nodes;
  }
  return { datacenter, profiles, price };
}

/** Up datacenters indexed by region, so matching an entry reads only its region's. */
export interface OfferIndex {
  byId: Map<string, DatacenterOffer>;
  byRegion: Map<string, DatacenterOffer[]>;
}

export function indexOffers(offers: readonly DatacenterOffer[]): OfferIndex {
  const byId = new Map<string, DatacenterOffer>();
  const byRegion = new Map<string, DatacenterOffer[]>();
  for (const offer of offers) {
    byId.set(offer.id, offer);
    const list = byRegion.get(offer.region) ?? [];
    list.push(offer);
    byRegion.set(offer.region, list);
  }
  return { byId, byRegion };
}

function cheaperFirst(a: EntryFit, b: EntryFit): number {
  return (
    a.price - b.price ||
    a.datacenter.name.localeCompare(b.datacenter.name) ||
    a.datacenter.id.localeCompare(b.datacenter.id)
  );
}

/** Every datacenter that satisfies the entry now, cheapest first. */
export function matchEntry(index: OfferIndex, requirement: EntryRequirement, usage: Usage): EntryFit[] {
  const fits: EntryFit[] = [];
  for (const datacenter of index.byRegion.get(requirement.region) ?? []) {
    const fit = fitEntry(datacenter, requirement, usage);
    if (fit) fits.push(fit);
  }
  return fits.sort(cheaperFirst);
}

/**
 * The cheapest datacenter for the entry, preferring one the deployment's other entries do not use (each entry
 * is declared as a datacenter of its own: spread, unless only a shared one fits).
 */
export function chooseDatacenter(
  index: OfferIndex,
  requirement: EntryRequirement,
  usage: Usage,
  avoid: ReadonlySet<string>,
): EntryFit | undefined {
  let best: EntryFit | undefined;
  let bestShared: EntryFit | undefined;
  for (const datacenter of index.byRegion.get(requirement.region) ?? []) {
    const fit = fitEntry(datacenter, requirement, usage);
    if (!fit) continue;
    if (avoid.has(datacenter.id)) {
      if (!bestShared || cheaperFirst(fit, bestShared) < 0) bestShared = fit;
    } else if (!best || cheaperFirst(fit, best) < 0) best = fit;
  }
  return best ?? bestShared;
}

export function addUsage(usage: Usage, datacenterId: string, profile: string, nodes: number): void {
  const perProfile = usage.get(datacenterId) ?? new Map<string, number>();
  perProfile.set(profile, (perProfile.get(profile) ?? 0) + nodes);
  usage.set(datacenterId, perProfile);
}
