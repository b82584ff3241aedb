/** The position after which a ListSolutions page continues, with the filter it was issued for. */
export interface PageCursor {
  /** Creation time (ms since the epoch) of the last solution of the previous page. */
  createMs: number;
  /** Id of the last solution of the previous page. */
  id: string;
  /** The market-name filter of the listing ("" for none). */
  marketName: string;
}

/** A page token that is not one this service issued, or was issued for another filter. */
export class PageTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PageTokenError";
  }
}

/** Encodes a cursor as an opaque, URL-safe page token. */
export function encodePageToken(cursor: PageCursor): string {
  const payload = JSON.stringify({ v: 1, t: cursor.createMs, i: cursor.id, m: cursor.marketName });
  return Buffer.from(payload, "utf8").toString("base64url");
}

/**
 * Decodes a page token and checks it belongs to a listing with the given market-name filter.
 * @throws PageTokenError when the token is malformed or was issued for another filter.
 */
export function decodePageToken(token: string, marketName: string): PageCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new PageTokenError("pageToken: not a token returned by ListSolutions");
  }
  const v = value as { v?: unknown; t?: unknown; i?: unknown; m?: unknown } | null;
  if (
    v === null ||
    typeof v !== "object" ||
    v.v !== 1 ||
    typeof v.t !== "number" ||
    !Number.isSafeInteger(v.t) ||
    typeof v.i !== "string" ||
    typeof v.m !== "string"
  ) {
    throw new PageTokenError("pageToken: not a token returned by ListSolutions");
  }
  if (v.m !== marketName) {
    throw new PageTokenError(
      `pageToken: issued for marketName ${JSON.stringify(v.m)}, but the request filters on ${JSON.stringify(marketName)}`,
    );
  }
  return { createMs: v.t, id: v.i, marketName: v.m };
}
