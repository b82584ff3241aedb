import { randomBytes } from "node:crypto";

/** Crockford's base32 alphabet, as used by ULIDs (sorts like the numbers it encodes). */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

let lastTime = -1;
let lastRandom: number[] = [];

function encodeTime(ms: number): string {
  let out = "";
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function randomDigits(): number[] {
  const bytes = randomBytes(16);
  return Array.from({ length: 16 }, (_, i) => bytes[i] % 32);
}

/** Adds one to a base-32 digit string; false when it overflows. */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i] < 31) {
      digits[i]++;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

/**
 * A new solution id: `sol_` followed by a ULID (48-bit millisecond time, 80 random bits, Crockford
 * base32). Ids are unique and sort by creation time; within one millisecond of one thread they
 * increase monotonically.
 */
export function newSolutionId(now: number = Date.now()): string {
  if (now === lastTime && increment(lastRandom)) {
    // same millisecond: keep the order of creation
  } else {
    lastTime = now;
    lastRandom = randomDigits();
  }
  return "sol_" + encodeTime(now) + lastRandom.map((d) => ALPHABET[d]).join("");
}

/** Whether a string has the shape of a solution id (it may still be unknown to the store). */
export function isSolutionId(id: string): boolean {
  return /^sol_[0-9A-HJKMNP-TV-Z]{26}$/.test(id);
}
