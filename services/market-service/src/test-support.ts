import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Agent, makeAgent, type Market, type SolverSettings } from "@peermarket/model";
import { MarketClient } from "./client.js";
import { jsonLogger } from "./logger.js";
import { startServer, type RunningServer, type StartOptions } from "./server.js";

/** A service on a free loopback port with a store in a temporary directory, and a client. */
export interface TestService {
  server: RunningServer;
  client: MarketClient;
  dir: string;
  /** Parsed log lines of the service. */
  logs: Record<string, unknown>[];
  /** Stops the client and the service and removes the directory. */
  stop(): Promise<void>;
}

/** Starts a service for a test (port 0, loopback, temporary store; options override). */
export async function startTestService(options: StartOptions = {}): Promise<TestService> {
  const dir = mkdtempSync(join(tmpdir(), "peermarket-service-test-"));
  const logs: Record<string, unknown>[] = [];
  let server: RunningServer;
  try {
    server = await startServer({
      host: "127.0.0.1",
      port: 0,
      storePath: join(dir, "store.db"),
      workers: 2,
      logger: jsonLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
      ...options,
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const client = new MarketClient(server.address);
  return {
    server,
    client,
    dir,
    logs,
    async stop() {
      client.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Settings under which the engine never tests for convergence nor polishes: it runs until it is stopped. */
export const RUN_UNTIL_STOPPED: Partial<SolverSettings> = {
  maxIter: 2_147_483_647,
  checkTermination: 2_147_483_647,
  polish: false,
};

function agent(id: string, costQuadratic: number, costLinear: number, powerMin: number, powerMax: number): Agent {
  return makeAgent(id, { costQuadratic, costLinear, powerMin, powerMax });
}

/**
 * A four-agent market (two producers, two consumers, every agent may trade with every other) whose
 * pool price is 30: supply 10 + 2·p₁ and 14 + 2·p₂, demand 50 − 2·d₁ and 46 − 2·d₂ balance at 30.
 */
export function smallMarket(name: string): Market {
  return {
    name,
    agents: [
      agent("g1", 2, 10, 0, 20),
      agent("g2", 2, 14, 0, 20),
      agent("d1", 2, 50, -20, 0),
      agent("d2", 2, 46, -20, 0),
    ],
    tradingGraph: "TRADING_GRAPH_COMPLETE",
    pairs: [],
    preferences: [],
    network: null,
    charges: null,
    grid: null,
    horizon: null,
  };
}
