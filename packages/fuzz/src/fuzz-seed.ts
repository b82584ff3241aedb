/**
 * The fixed seed of the fuzz targets in `npm test` (deterministic inputs); `FUZZ_SEED` in the
 * environment overrides it, to run the test suite's bounded fuzzing on other inputs.
 */
export const TEST_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20_240_601;
