import type { FuzzTarget } from "../runner.js";
import { engineTarget } from "./engine.js";
import { grpcBytesTarget, grpcMutationTarget } from "./grpc.js";
import { matpowerTarget } from "./matpower.js";
import { modelJsonTarget, modelMutationTarget, modelStringTarget } from "./model.js";

export {
  engineTarget,
  grpcBytesTarget,
  grpcMutationTarget,
  matpowerTarget,
  modelJsonTarget,
  modelMutationTarget,
  modelStringTarget,
};

/** Every fuzz target, in the order `npm run fuzz` runs them. */
export const ALL_TARGETS: readonly FuzzTarget<never>[] = [
  modelJsonTarget,
  modelStringTarget,
  modelMutationTarget,
  matpowerTarget,
  engineTarget,
  grpcBytesTarget,
  grpcMutationTarget,
] as unknown as FuzzTarget<never>[];
