import type { Market, NetworkChargeReport, Solution, SolveProgress, SolverSettings } from "@peermarket/model";

/** peermarket.v1.SolveMarketRequest as the service receives it (proto-loader object form). */
export interface SolveMarketRequest {
  market?: Market | null;
  settings?: SolverSettings | null;
  /** StreamSolveMarket: a progress event every this many iterations (0: 10). */
  progressInterval?: number;
}

/** peermarket.v1.SolveEvent: a progress report, or the final Solution. */
export interface SolveEvent {
  progress?: SolveProgress | null;
  solution?: Solution | null;
  event?: "progress" | "solution";
}

/** peermarket.v1.SolutionView. */
export type SolutionView = "SOLUTION_VIEW_UNSPECIFIED" | "SOLUTION_VIEW_BASIC" | "SOLUTION_VIEW_FULL";

/** peermarket.v1.GetSolutionRequest. */
export interface GetSolutionRequest {
  id: string;
  view?: SolutionView;
}

/** peermarket.v1.ListSolutionsRequest. */
export interface ListSolutionsRequest {
  pageSize?: number;
  pageToken?: string;
  marketName?: string;
  view?: SolutionView;
}

/** peermarket.v1.ListSolutionsResponse. */
export interface ListSolutionsResponse {
  solutions: Solution[];
  nextPageToken: string;
}

/** peermarket.v1.GetNetworkChargesRequest. */
export interface GetNetworkChargesRequest {
  solutionId: string;
}

export type { Market, NetworkChargeReport, Solution, SolveProgress, SolverSettings };

/** A message as a client may write it: every field optional, at any depth (proto3 fills defaults). */
export type DeepPartial<T> = T extends (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | null }
    : T;

/** A SolveMarketRequest as a client writes it. */
export interface SolveMarketRequestInput {
  market: DeepPartial<Market>;
  settings?: DeepPartial<SolverSettings>;
  progressInterval?: number;
}
