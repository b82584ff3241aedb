import { xorshift32 } from "@peermarket/admm";
import { makeGrid, type Agent, makeAgent, makeMarket, type Market } from "@peermarket/model";

/** A random small convex community with storage: 2–4 members over 2–4 periods, a price spread, one or two batteries with losses. */
export function randomStorageMarket(seed: number): Market {
  const r = xorshift32(seed);
  const T = 2 + (seed % 3);
  const n = 2 + ((seed >> 1) % 3);
  const agents: Agent[] = [];
  for (let i = 0; i < n; i++) {
    const kind = (i + seed) % 3;
    const a = 0.2 + r();
    if (i === 0 || (i === 3 && seed % 2 === 0)) {
      // A prosumer or a stand-alone battery.
      const own = i === 0 && seed % 2 === 1;
      agents.push(
        makeAgent(`m${i}`, {
          costQuadratic: own ? a : 0,
          costLinear: own ? 40 + 40 * r() : 0,
          powerMin: own ? -(0.5 + r()) : 0,
          powerMax: 0,
          storage: {
            energyCapacity: 1 + 2 * r(),
            chargeMax: 0.5 + r(),
            dischargeMax: 0.5 + r(),
            chargeEfficiency: 0.85 + 0.1 * r(),
            dischargeEfficiency: 0.85 + 0.1 * r(),
            socInitial: r(),
            socMin: 0,
            throughputCost: 3 * r(),
          },
        }),
      );
      continue;
    }
    const pMaxProfile = Array.from({ length: T }, () => (kind === 1 ? 0 : (0.3 + 2 * r()) * (r() < 0.3 ? 0 : 1)));
    const pMinProfile = Array.from({ length: T }, () => (kind === 0 ? 0 : -(0.3 + 2 * r())));
    agents.push(
      makeAgent(`m${i}`, {
        costQuadratic: a,
        costLinear: kind === 0 ? 5 + 20 * r() : kind === 1 ? 80 + 60 * r() : 30 + 40 * r(),
        powerMin: Math.min(...pMinProfile),
        powerMax: Math.max(...pMaxProfile),
        powerMinProfile: pMinProfile,
        powerMaxProfile: pMaxProfile,
      }),
    );
  }
  const imp = Array.from({ length: T }, () => 60 + 120 * r());
  const exp = imp.map((p) => p * (0.2 + 0.5 * r()));
  return makeMarket({
    name: `storage-${seed}`,
    agents,
    grid: makeGrid({
      bus: "",
      importPrice: imp[0],
      exportPrice: exp[0],
      importPriceProfile: imp,
      exportPriceProfile: exp,
    }),
    horizon: { periods: T, periodHours: [1, 0.5, 0.25][seed % 3], startTime: "" },
  });
}
