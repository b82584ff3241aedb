import type { Principal } from "./auth.js";

/**
 * What each role may do (the users of the service: aggregators, DSOs, admins): an aggregator solves markets and reads its own tenant's
 * solutions; a DSO reads the network-charge report and line loadings of any solution and the BASIC
 * view of solutions (no agents, hence no cost coefficients, energy costs or marginal prices), never
 * a stored request; an admin does everything. Without authentication the caller is an admin.
 */

/** Whether the caller may clear markets. */
export function maySolve(p: Principal): boolean {
  return p.role === "aggregator" || p.role === "admin";
}

/** Whether the caller may read a solution of `tenant` in the FULL view (agents and trades). */
export function mayReadFull(p: Principal, tenant: string): boolean {
  return p.role === "admin" || (p.role === "aggregator" && p.tenant === tenant);
}

/** Whether the caller may read a solution of `tenant` in the BASIC view (status, objective, timings). */
export function mayReadBasic(p: Principal, tenant: string): boolean {
  return p.role !== "aggregator" || p.tenant === tenant;
}

/** Whether the caller may read the DSO report (charges, zone flows, line loadings) of a solution of `tenant`. */
export function mayReadCharges(p: Principal, tenant: string): boolean {
  return p.role !== "aggregator" || p.tenant === tenant;
}

/** The tenant a listing is restricted to: the aggregator's own, or undefined (every tenant). */
export function listingTenant(p: Principal): string | undefined {
  return p.role === "aggregator" ? p.tenant : undefined;
}

/** Whether the caller may list (or read) FULL views at all. */
export function mayListFull(p: Principal): boolean {
  return p.role !== "dso";
}
