/**
 * The shared-memory protocol between a coordinating thread and resident shard workers.
 * `control` is an Int32Array on a SharedArrayBuffer, `params` a Float64Array.
 */
export const C_EPOCH = 0; // bumped by the coordinator for every command
export const C_CMD = 1; // the command of the current epoch
export const C_DONE = 2; // workers that finished the current command
export const C_READY = 3; // workers started
export const C_ERROR = 4; // set by a worker that failed
export const C_CUR = 5; // which iterate buffer (0: p0, 1: p1) holds the current trades
export const CONTROL_INTS = 8;

export const P_RHO = 0;
export const P_RHO_DUAL = 1;
export const P_ALPHA = 2;
/**
 * 1 when every trade cost of the market is zero (`phase` with `costs` false), else 0: a parameter
 * block never written (0) keeps the costs read.
 */
export const P_ZERO_COSTS = 3;
export const PARAMS = 4;

export const CMD_PHASE = 1; // run one ADMM phase on the worker's agents
export const CMD_JOB = 2; // take the next job from the message port
export const CMD_EXIT = 3; // leave the loop

/** Iterations of busy waiting before sleeping on a futex: short phases are answered without a wake-up. */
export const SPIN = 4000;
