/**
 * @peermarket/market-service/testing — what tests of the service and of the packages built on it
 * use; never loaded by the service itself (scripts/check-published-imports.mjs checks it).
 */
export { makeSelfSigned, type TestCertificate } from "./certificates.js";
