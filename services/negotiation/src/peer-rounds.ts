import type { IterateArrays, MarketArrays } from "@peermarket/admm";
import type { ExpandedMarket } from "@peermarket/model";
import type { Proposal, Round } from "@peermarket/model";
import type { PeerLink } from "./peer-link.js";
import { consensusUpdate, localSolves } from "@peermarket/admm";
import type { NetworkSide, PhaseParams } from "./threaded-solve.js";

/** How a negotiation treats slow and silent peers. */
export interface RoundPolicy {
  /** A round waits this long for the proposals. */
  roundTimeoutMs: number;
  /**
   * A peer that misses a round has its last proposal reused (bounded staleness); after this many
   * missed rounds in a row it is dropped and the market re-cleared without it.
   */
  maxMissedRounds: number;
}

/** A peer dropped during an epoch. */
export interface PeerDrop {
  link: PeerLink;
  reason: string;
  round: number;
}

/** One peer in an epoch: its agents' indices (in its Welcome order) and its last proposal. */
interface PeerSeat {
  link: PeerLink;
  agents: number[];
  /** Per agent, its trades of the last proposal used (the starting iterate before any). */
  last: Float64Array[];
  /** The round of the last proposal used (0: none yet). */
  lastRound: number;
  missed: number;
  dropped: boolean;
}

/**
 * The network side of a negotiation epoch. Every phase, the coordinator does the consensus and
 * price update of every trade and the local solves of its own agents (the grid, whose prices are
 * public), sends each peer the targets and prices of its agents' trades, and writes in the trades
 * they propose — clipped to the trade bounds — or, for a peer that missed the round, its last
 * proposal. A peer gone, misbehaving or silent for more than `maxMissedRounds` rounds is dropped;
 * `onDrop` is then called (the epoch stops and the market is re-cleared without it).
 */
export class PeerRounds implements NetworkSide {
  readonly drops: PeerDrop[] = [];
  /** Rounds in which some proposal was reused. */
  staleRounds = 0;
  private iterate: IterateArrays | null = null;
  private partials: Float64Array | null = null;
  private readonly seats: PeerSeat[];
  private initialised = false;

  constructor(
    private readonly x: ExpandedMarket,
    private readonly problem: MarketArrays,
    peers: { link: PeerLink; agents: number[] }[],
    /** Agents whose local problems the coordinator solves (the grid agents). */
    private readonly own: number[],
    private readonly epoch: number,
    private readonly policy: RoundPolicy,
    private readonly onDrop: () => void,
    private readonly onRound?: (round: number) => void,
  ) {
    this.seats = peers.map((p) => ({
      link: p.link,
      agents: p.agents,
      last: [],
      lastRound: 0,
      missed: 0,
      dropped: false,
    }));
  }

  attach(iterate: IterateArrays, partials: Float64Array): void {
    this.iterate = iterate;
    this.partials = partials;
  }

  async phase(p: PhaseParams): Promise<void> {
    const it = this.iterate;
    const partials = this.partials;
    if (!it || !partials) throw new Error("a phase before the solve's iterate was attached");
    const m = this.problem;
    const pCur = p.cur === 0 ? it.p0 : it.p1;
    const pNext = p.cur === 0 ? it.p1 : it.p0;
    if (!this.initialised) {
      for (const s of this.seats) s.last = s.agents.map((n) => pCur.slice(m.tradeStart[n], m.tradeStart[n + 1]));
      this.initialised = true;
    }
    consensusUpdate(m, m.mirror, it, pCur, pNext, 0, m.nAgents, p.rho, p.rhoDual, p.alpha, partials, 0);
    for (const n of this.own) localSolves(m, it.mu, pNext, n, n + 1, p.rho);
    const active = this.seats.filter((s) => !s.dropped);
    for (const s of active) s.link.send({ round: this.round(s, p, pNext, it.lambda) });
    const answers = await this.collect(active, p.seq);
    let dropped = false;
    let stale = false;
    active.forEach((s, i) => {
      const proposal = answers[i];
      const problem = proposal ? this.accept(s, proposal, pNext) : null;
      if (proposal && problem === null) {
        s.missed = 0;
        s.lastRound = p.seq;
        return;
      }
      // Missed (or unusable): reuse its newest proposal — one that came late, or the last one used.
      stale = true;
      s.missed++;
      const late = s.link.latest;
      if (
        problem === null &&
        late &&
        late.epoch === this.epoch &&
        late.round > s.lastRound &&
        this.accept(s, late, pNext) === null
      )
        s.lastRound = late.round;
      else s.agents.forEach((n, j) => pNext.set(s.last[j], m.tradeStart[n]));
      const reason =
        problem ??
        (!s.link.connected
          ? s.link.whyGone
          : s.missed > this.policy.maxMissedRounds
            ? `missed ${s.missed} rounds in a row (timeout ${this.policy.roundTimeoutMs} ms)`
            : "");
      if (reason !== "") {
        s.dropped = true;
        dropped = true;
        this.drops.push({ link: s.link, reason, round: p.seq });
      }
    });
    if (stale) this.staleRounds++;
    this.onRound?.(p.seq);
    if (dropped) this.onDrop();
  }

  private round(s: PeerSeat, p: PhaseParams, targets: Float64Array, prices: Float64Array): Round {
    const m = this.problem;
    return {
      epoch: this.epoch,
      round: p.seq,
      rho: p.rho,
      agents: s.agents.map((n) => {
        const b = m.tradeStart[n];
        const e = m.tradeStart[n + 1];
        return {
          agentId: this.x.agentIds[n],
          targets: Array.from(targets.subarray(b, e)),
          prices: Array.from(prices.subarray(b, e)),
        };
      }),
    };
  }

  /** Waits for every active peer's proposal of this round, until the round's deadline. */
  private async collect(active: PeerSeat[], round: number): Promise<(Proposal | null)[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.policy.roundTimeoutMs);
    });
    try {
      return await Promise.all(active.map((s) => Promise.race([s.link.proposal(this.epoch, round), deadline])));
    } finally {
      clearTimeout(timer);
      for (const s of active) s.link.stopWaiting();
    }
  }

  /** Writes a peer's proposal into the trades (clipped to their bounds); returns why it is unusable, or null. */
  private accept(s: PeerSeat, proposal: Proposal, pNext: Float64Array): string | null {
    const m = this.problem;
    if (proposal.agents.length !== s.agents.length)
      return `sent a proposal for ${proposal.agents.length} agents, it speaks for ${s.agents.length}`;
    for (let j = 0; j < s.agents.length; j++) {
      const n = s.agents[j];
      const a = proposal.agents[j];
      const b = m.tradeStart[n];
      const e = m.tradeStart[n + 1];
      if (a.agentId !== this.x.agentIds[n])
        return `sent trades of ${JSON.stringify(a.agentId)} where ${JSON.stringify(this.x.agentIds[n])}'s were expected`;
      if (a.trades.length !== e - b) return `sent ${a.trades.length} trades for ${a.agentId}, which has ${e - b}`;
      if (!a.trades.every(Number.isFinite)) return `sent a non-finite trade for ${a.agentId}`;
    }
    for (let j = 0; j < s.agents.length; j++) {
      const n = s.agents[j];
      const b = m.tradeStart[n];
      const trades = proposal.agents[j].trades;
      const last = s.last[j];
      for (let k = 0; k < trades.length; k++) {
        const t = Math.min(Math.max(trades[k], m.lo[b + k]), m.hi[b + k]);
        pNext[b + k] = t;
        last[k] = t;
      }
    }
    return null;
  }
}
