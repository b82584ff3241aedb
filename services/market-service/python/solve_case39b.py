#!/usr/bin/env python3
"""Clears a market on a running peermarket service with Python's grpcio and prints the trade prices.

Usage:
    solve_case39b.py HOST:PORT SCENARIO.json [STUBS_DIR]

SCENARIO.json is a scenario file: the proto3 JSON of peermarket.v1.Market (for example the bundled
case39b_31a). STUBS_DIR holds the modules generated from the protos (default: ./stubs):

    python3 -m grpc_tools.protoc -I <peermarket>/proto --python_out=STUBS_DIR \
        --grpc_python_out=STUBS_DIR peermarket/v1/*.proto

Prints one line per trade that carries power ("seller buyer power price"), then a summary line.
"""
import sys


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    target, scenario_path = argv[1], argv[2]
    sys.path.insert(0, argv[3] if len(argv) > 3 else "stubs")

    import grpc
    from google.protobuf import json_format
    from peermarket.v1 import market_pb2, market_service_pb2, market_service_pb2_grpc, solution_pb2

    with open(scenario_path, encoding="utf-8") as f:
        market = json_format.Parse(f.read(), market_pb2.Market())

    with grpc.insecure_channel(target) as channel:
        stub = market_service_pb2_grpc.MarketServiceStub(channel)
        solution = stub.SolveMarket(market_service_pb2.SolveMarketRequest(market=market), timeout=60)

    status = solution_pb2.SolveStatus.Name(solution.status)
    for trade in solution.trades:
        if trade.power > 0:
            print(f"{trade.seller_id} {trade.buyer_id} {trade.power:.6f} {trade.price:.6f}")
    print(f"# solution {solution.id} {status} iterations={solution.iterations} "
          f"objective={solution.objective:.6f} trades={len(solution.trades)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
