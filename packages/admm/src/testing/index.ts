/**
 * @peermarket/admm/testing — generators for tests of the engine and of the packages built on it;
 * never loaded by the engine (scripts/check-published-imports.mjs checks it).
 */
export { randomStorageCase, type StorageCase, type StorageCaseOptions } from "../test/storage-cases.js";
