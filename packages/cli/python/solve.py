#!/usr/bin/env python3
"""Clears a scenario through a running peermarket service and prints the trades.

    python3 solve.py HOST:PORT SCENARIO.json [--json]

SCENARIO.json is the proto3 JSON of peermarket.v1.Market (`peermarket export CASE --out FILE`
writes one from any scenario or bundled case). With --json, prints the Solution as proto3 JSON
with every field present. The token of a secured service comes from PEERMARKET_TOKEN.
"""

import json
import os
import sys

from peermarket_client import MarketClient, load_scenario, to_dict


def main(argv):
    args = [a for a in argv if a != "--json"]
    if len(args) != 2 or "-h" in argv or "--help" in argv:
        sys.stderr.write(__doc__)
        return 2
    target, path = args
    with MarketClient(target, token=os.environ.get("PEERMARKET_TOKEN") or None) as client:
        solution = client.solve_market(load_scenario(path))
    if "--json" in argv:
        print(json.dumps(to_dict(solution), indent=2))
        return 0
    status = solution.DESCRIPTOR.fields_by_name["status"].enum_type.values_by_number[solution.status].name
    print("%s: %s after %d iterations, objective %.4f" % (solution.id, status, solution.iterations, solution.objective))
    print("%-16s %-16s %12s %14s" % ("seller", "buyer", "power (MW)", "price (€/MWh)"))
    for t in sorted(solution.trades, key=lambda t: -t.power):
        if t.power > 1e-6:
            print("%-16s %-16s %12.3f %14.2f" % (t.seller_id, t.buyer_id, t.power, t.price))
    return 0 if status == "SOLVE_STATUS_SOLVED" else 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
