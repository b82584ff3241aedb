import * as grpc from "@grpc/grpc-js";
import { type AdmmResult, type Progress, toSharedArrays } from "@peermarket/admm";
import { buildSolution, engineSettings, type PreparedMarket } from "@peermarket/market";
import {
  type ExpandedMarket,
  type Market,
  type MarketLimits,
  MarketValidationError,
  type Solution,
  type SolverSettings,
} from "@peermarket/model";
import { coordinatorMarketIssues, epochMarket, registrationProblem } from "./coordinator-market.js";
import { prepareDistributedMarket } from "./distributed-solve.js";
import { epochTerms, settlementFor, warmStartFrom } from "./epoch-terms.js";
import type {
  CoordinatorMessage,
  DroppedAgent,
  NegotiationServiceHandlers,
  PeerAgent,
  PeerMessage,
} from "@peermarket/model";
import { PeerLink } from "./peer-link.js";
import { PeerRounds, type RoundPolicy } from "./peer-rounds.js";
import { DEFAULT_MAX_MESSAGE_BYTES, negotiationClientConstructor, observedDefinition } from "./proto.js";
import { type ServerSecurity, serverCredentials, tokenProblem } from "./security.js";
import { bind, endWithStatus, formatAddress, shutdown } from "./server-support.js";
import { runThreadedSolve } from "./threaded-solve.js";

/** Options of a negotiation coordinator's server. */
export interface NegotiationCoordinatorOptions extends ServerSecurity {
  host?: string;
  port?: number;
  maxMessageBytes?: number;
  /** Every message received, as the bytes that crossed the wire and decoded (an audit hook). */
  onReceive?: (method: string, bytes: Buffer, message: unknown) => void;
  /** Joins, refusals, losses. */
  onEvent?: (event: string, fields: Record<string, unknown>) => void;
}

/** Options of one negotiation. */
export interface NegotiateOptions extends Partial<RoundPolicy> {
  settings?: SolverSettings | null;
  /** Start without the agents that have not joined after this long (default 300 000 ms). */
  joinTimeoutMs?: number;
  onProgress?: (p: Progress & { epoch: number }) => void;
  progressInterval?: number;
  /** Called after every round, with its epoch and number. */
  onRound?: (epoch: number, round: number) => void;
  limits?: MarketLimits;
}

/** The outcome of a negotiation. */
export interface NegotiationOutcome {
  /**
   * The cleared market. The coordinator knows no agent's costs: for peer agents marginal price,
   * energy cost and preference cost are NaN, and so is the objective (each peer computes its own).
   */
  solution: Solution;
  /** Agents left out: never joined, disconnected, silent, or gave up. */
  dropped: DroppedAgent[];
  /** Epochs (one more per re-clearing after drops) and rounds in all. */
  epochs: number;
  rounds: number;
  /** Rounds in which some peer's earlier proposal was reused. */
  staleRounds: number;
  /** The engine's result of the last epoch. */
  result: AdmmResult;
}

/**
 * The coordinator of a negotiation (NegotiationService): peer agents join with their public data
 * only; `negotiate` clears a market of them by consensus ADMM, round by round over their Join
 * streams, and settles with each.
 */
export class NegotiationCoordinator {
  readonly address: string;
  readonly port: number;
  readonly tls: boolean;
  private readonly links = new Set<PeerLink>();
  private readonly byAgent = new Map<string, PeerLink>();
  private readonly joinWaiters = new Set<() => void>();
  /** The market being negotiated and whether agents may still join it. */
  private market: Market | null = null;
  private joining = false;
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly server: grpc.Server,
    address: string,
    port: number,
    tls: boolean,
    private readonly onEvent: NegotiationCoordinatorOptions["onEvent"],
  ) {
    this.address = address;
    this.port = port;
    this.tls = tls;
  }

  /** Starts the NegotiationService on `host:port`. @throws TlsConfigError for unusable TLS files. */
  static async start(options: NegotiationCoordinatorOptions = {}): Promise<NegotiationCoordinator> {
    const host = options.host ?? "127.0.0.1";
    const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    const { credentials, tls } = serverCredentials(options);
    const server = new grpc.Server({ "grpc.max_receive_message_length": max, "grpc.max_send_message_length": max });
    let self: NegotiationCoordinator | null = null;
    const handlers: NegotiationServiceHandlers = {
      Join: (call) => {
        const problem = tokenProblem(call.metadata, options.tokens);
        if (problem !== null)
          endWithStatus(call as grpc.ServerDuplexStream<unknown, unknown>, grpc.status.UNAUTHENTICATED, problem);
        else if (!self)
          endWithStatus(
            call as grpc.ServerDuplexStream<unknown, unknown>,
            grpc.status.UNAVAILABLE,
            "the coordinator is starting",
          );
        else self.accept(call);
      },
    };
    server.addService(observedDefinition(negotiationClientConstructor().service, options.onReceive), handlers);
    const port = await bind(server, formatAddress(host, options.port ?? 0), credentials);
    self = new NegotiationCoordinator(server, formatAddress(host, port), port, tls, options.onEvent);
    return self;
  }

  private accept(call: grpc.ServerDuplexStream<PeerMessage, CoordinatorMessage>): void {
    if (this.closed) {
      endWithStatus(
        call as grpc.ServerDuplexStream<unknown, unknown>,
        grpc.status.UNAVAILABLE,
        "the coordinator is shutting down",
      );
      return;
    }
    const link = new PeerLink(
      this.nextId++,
      call,
      (l) => this.register(l),
      (l) => {
        this.links.delete(l);
        for (const id of l.agentIds) if (this.byAgent.get(id) === l) this.byAgent.delete(id);
        this.onEvent?.("peer-gone", { peer: l.peer, agents: l.agentIds, reason: l.whyGone });
      },
    );
    this.links.add(link);
  }

  private register(link: PeerLink): void {
    const refuse = (code: grpc.status, details: string): void => {
      this.onEvent?.("peer-refused", { peer: link.peer, agents: link.agentIds, reason: details });
      link.close(code, details);
    };
    const ids = link.agentIds;
    if (ids.length === 0) return refuse(grpc.status.INVALID_ARGUMENT, "registration: no agents");
    if (ids.some((id) => id === ""))
      return refuse(grpc.status.INVALID_ARGUMENT, "registration: an agent without an id");
    if (new Set(ids).size !== ids.length)
      return refuse(grpc.status.INVALID_ARGUMENT, "registration: an agent id appears twice");
    const taken = ids.find((id) => this.byAgent.has(id));
    if (taken !== undefined)
      return refuse(grpc.status.ALREADY_EXISTS, `agent ${JSON.stringify(taken)} is already registered by another peer`);
    if (this.market && !this.joining)
      return refuse(
        grpc.status.FAILED_PRECONDITION,
        `the negotiation of market ${JSON.stringify(this.market.name)} has started; join the next one`,
      );
    if (this.market) {
      const problem = this.problemOf(link.agents);
      if (problem) return refuse(grpc.status.INVALID_ARGUMENT, problem);
    }
    for (const id of ids) this.byAgent.set(id, link);
    link.send({ registered: { marketName: this.market?.name ?? "", agentIds: ids } });
    this.onEvent?.("peer-joined", { peer: link.peer, agents: ids, client: link.client });
    for (const w of [...this.joinWaiters]) w();
  }

  private problemOf(agents: PeerAgent[]): string | null {
    for (const a of agents) {
      const p = registrationProblem(this.market!, a);
      if (p) return p;
    }
    return null;
  }

  /** Waits until every id has joined or `timeoutMs` passed; returns the ids still missing. */
  private waitForAgents(ids: string[], timeoutMs: number): Promise<string[]> {
    return new Promise((resolve) => {
      const missing = (): string[] => ids.filter((id) => !this.byAgent.get(id)?.connected);
      const check = (): void => {
        if (missing().length > 0) return;
        finish();
      };
      const finish = (): void => {
        this.joinWaiters.delete(check);
        clearTimeout(timer);
        resolve(missing());
      };
      const timer = setTimeout(finish, timeoutMs);
      this.joinWaiters.add(check);
      check();
    });
  }

  /**
   * Negotiates a market: waits for its agents to join, then clears it by consensus ADMM with the
   * peers, re-clearing without any peer dropped on the way, and settles with the others. The
   * market names the agents, the graph, grid, network and charges, with no costs, bounds or
   * preferences (MarketValidationError otherwise).
   */
  async negotiate(market: Market, options: NegotiateOptions = {}): Promise<NegotiationOutcome> {
    if (this.market) throw new Error(`a negotiation of market ${JSON.stringify(this.market.name)} is running`);
    const issues = coordinatorMarketIssues(market);
    if (issues.length > 0) throw new MarketValidationError(issues);
    this.market = market;
    this.joining = true;
    try {
      return await this.run(market, options);
    } catch (err) {
      for (const l of [...this.links])
        if (l.agentIds.some((id) => market.agents.some((a) => a.id === id)))
          l.close(grpc.status.INTERNAL, `the negotiation failed: ${(err as Error).message}`);
      throw err;
    } finally {
      this.market = null;
      this.joining = false;
    }
  }

  private async run(market: Market, options: NegotiateOptions): Promise<NegotiationOutcome> {
    const policy: RoundPolicy = {
      roundTimeoutMs: options.roundTimeoutMs ?? 10_000,
      maxMissedRounds: options.maxMissedRounds ?? 5,
    };
    if (!(policy.roundTimeoutMs > 0))
      throw new RangeError(`the round timeout must be > 0 ms, got ${policy.roundTimeoutMs}`);
    if (!(Number.isInteger(policy.maxMissedRounds) && policy.maxMissedRounds >= 0))
      throw new RangeError(`max missed rounds must be an integer ≥ 0, got ${policy.maxMissedRounds}`);
    // Peers that registered before the market was known are checked now.
    for (const l of [...this.links]) {
      const problem = l.agents.length > 0 ? this.problemOf(l.agents) : null;
      if (problem) l.close(grpc.status.INVALID_ARGUMENT, problem);
    }
    const joinTimeoutMs = options.joinTimeoutMs ?? 300_000;
    const missing = await this.waitForAgents(
      market.agents.map((a) => a.id),
      joinTimeoutMs,
    );
    this.joining = false;
    const dropped: DroppedAgent[] = missing.map((id) => ({
      agentId: id,
      reason: `did not join within ${joinTimeoutMs / 1000} s`,
      epoch: 0,
      round: 0,
    }));
    const settings = engineSettings(options.settings);
    // ρ cannot come from the costs, which the coordinator does not know.
    settings.rho ??= 1;
    // Nor can it polish (docs/polishing.md): polishing solves with the agents' costs.
    settings.polish = false;
    let epoch = 0;
    let rounds = 0;
    let staleRounds = 0;
    let warm: { trade: Float64Array; price: Float64Array } | null = null;
    let previous: { x: ExpandedMarket; result: AdmmResult } | null = null;
    for (;;) {
      epoch++;
      // Peers that left between epochs are dropped before the epoch starts.
      for (const a of market.agents) {
        if (dropped.some((d) => d.agentId === a.id)) continue;
        if (!this.byAgent.get(a.id)?.connected)
          dropped.push({ agentId: a.id, reason: `disconnected before epoch ${epoch}`, epoch, round: 0 });
      }
      const gone = new Set(dropped.map((d) => d.agentId));
      const present = new Set(market.agents.map((a) => a.id).filter((id) => !gone.has(id)));
      const registered = new Map<string, PeerAgent>();
      for (const id of present) for (const a of this.byAgent.get(id)!.agents) if (a.id === id) registered.set(id, a);
      const epochAgents = epochMarket(market, registered, present);
      let prepared: PreparedMarket;
      try {
        prepared = prepareDistributedMarket(epochAgents, options.settings, options.limits);
      } catch (err) {
        // A registration the market cannot take (a bus not in the network, ...) drops its peer, not the negotiation.
        const refused = err instanceof MarketValidationError ? refusedAgents(err, epochAgents) : [];
        if (refused.length === 0) throw err;
        for (const { id, message } of refused) {
          const link = this.byAgent.get(id);
          for (const other of link?.agentIds ?? [id])
            if (!gone.has(other))
              dropped.push({ agentId: other, reason: `registration refused: ${message}`, epoch, round: 0 });
          link?.close(grpc.status.INVALID_ARGUMENT, `registration refused: ${message}`);
        }
        continue;
      }
      const { expanded: x, unitFee } = prepared;
      const links = [...new Set([...present].map((id) => this.byAgent.get(id)!))];
      const terms = epochTerms(x, links, registered, epoch, dropped);
      for (const t of terms.peers) t.link.send({ welcome: t.welcome });
      if (previous) warm = warmStartFrom(previous.x, previous.result, x);
      const problem = toSharedArrays(x.arrays);
      let stop = (): void => undefined;
      const side = new PeerRounds(
        x,
        problem,
        terms.peers,
        terms.own,
        epoch,
        policy,
        () => stop(),
        (r) => options.onRound?.(epoch, r),
      );
      const run = runThreadedSolve({
        problem,
        settings,
        warmStart: warm,
        slots: 1,
        local: { agentEnd: 0, threads: 0 },
        network: side,
        progressInterval: options.progressInterval,
        onProgress: options.onProgress ? (p) => options.onProgress!({ ...p, epoch }) : undefined,
        agentIds: x.agentIds,
      });
      stop = run.stop;
      const result = await run.result;
      rounds += result.info.iterations;
      staleRounds += side.staleRounds;
      for (const d of side.drops) {
        for (const id of d.link.agentIds)
          if (present.has(id)) dropped.push({ agentId: id, reason: d.reason, epoch, round: d.round });
        d.link.close(grpc.status.ABORTED, `dropped from the negotiation: ${d.reason}`);
      }
      if (side.drops.length > 0) {
        previous = { x, result };
        continue;
      }
      const solution = buildSolution(x, result, unitFee);
      privatise(solution, x.gridImport, x.gridExport);
      solution.iterations = rounds;
      solution.statusMessage = [solution.statusMessage, describeDrops(dropped, epoch)]
        .filter((s) => s !== "")
        .join("; ");
      for (const t of terms.peers) {
        t.link.send({ settlement: { solution: settlementFor(solution, t.link.agentIds), dropped } });
        t.link.finish();
      }
      return { solution, dropped, epochs: epoch, rounds, staleRounds, result };
    }
  }

  /** Ends every peer's stream and stops the server. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const l of [...this.links]) l.close(grpc.status.UNAVAILABLE, "the coordinator is shutting down");
    await shutdown(this.server);
  }
}

/** The agents named by a validation error of an epoch's market (`agents[3].bus: ...`), with the message. */
function refusedAgents(err: MarketValidationError, market: Market): { id: string; message: string }[] {
  const out = new Map<string, string>();
  for (const issue of err.issues) {
    const m = /^agents\[(\d+)\]/.exec(issue.path);
    const agent = m ? market.agents[Number(m[1])] : undefined;
    if (agent && !out.has(agent.id))
      out.set(agent.id, `${issue.path.replace(/^agents\[\d+\]\.?/, "")}: ${issue.message}`);
  }
  return [...out].map(([id, message]) => ({ id, message }));
}

/** Blanks what the coordinator cannot know: peers' marginal prices, energy and preference costs, and the objective. */
function privatise(solution: Solution, gridImport: number, gridExport: number): void {
  solution.objective = NaN;
  solution.agents.forEach((a, n) => {
    if (n === gridImport || n === gridExport) return;
    a.marginalPrice = NaN;
    a.energyCost = NaN;
    a.preferenceCost = NaN;
  });
}

/** The drops in words, for the status message. */
function describeDrops(dropped: DroppedAgent[], epochs: number): string {
  if (dropped.length === 0) return "";
  const list = dropped
    .map((d) => `${d.agentId} (${d.reason}${d.epoch > 0 ? `, epoch ${d.epoch} round ${d.round}` : ""})`)
    .join(", ");
  return `cleared without ${list}${epochs > 1 ? `; re-cleared ${epochs - 1} time${epochs > 2 ? "s" : ""}` : ""}`;
}
