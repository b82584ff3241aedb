/** A plain text table: columns right-aligned when numeric, a header and a rule. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? fmt(c) : c)));
  const isNumber = (c: string | number) => typeof c === "number" || /^[-+]?(\d[\d.,]*(e[-+]?\d+)?%?|Infinity)$/.test(c);
  const numeric = headers.map((_, j) => rows.length > 0 && rows.every((r) => isNumber(r[j]) || r[j] === ""));
  const width = headers.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j].length)));
  const line = (r: string[]) =>
    r
      .map((c, j) => (numeric[j] ? c.padStart(width[j]) : c.padEnd(width[j])))
      .join("  ")
      .trimEnd();
  return [line(headers), width.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n") + "\n";
}

/** A number for a table: fixed decimals for ordinary magnitudes, exponent otherwise. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 1e15) return String(x);
  if (a >= 1e7 || a < 1e-3) return x.toExponential(2);
  return x.toFixed(digits);
}

/** Status names as OSQP prints them ("solved", "maximum iterations reached", …). */
export function statusText(status: string): string {
  const s = status.replace(/^SOLVE_STATUS_/, "");
  return (
    (
      {
        SOLVED: "solved",
        SOLVED_INACCURATE: "solved inaccurate",
        MAX_ITER_REACHED: "maximum iterations reached",
        TIME_LIMIT_REACHED: "run time limit reached",
        PRIMAL_INFEASIBLE: "primal infeasible",
        DUAL_INFEASIBLE: "dual infeasible (unbounded)",
        CANCELLED: "cancelled",
        NUMERICAL_ERROR: "numerical error",
      } as Record<string, string>
    )[s] ?? s.toLowerCase()
  );
}
