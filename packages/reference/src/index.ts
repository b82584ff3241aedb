export * from "./solution.js";
export * from "./objective.js";
export * from "./formulation.js";
export * from "./highs-runtime.js";
export * from "./highs.js";
export * from "./lp-solver.js";
export * from "./certificate.js";
