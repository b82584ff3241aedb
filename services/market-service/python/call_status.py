#!/usr/bin/env python3
"""Calls one method of a running peermarket service with raw request bytes and prints the status it
gets, with the google.rpc.Status of its grpc-status-details-bin trailer decoded, as one JSON line.

Usage:
    call_status.py HOST:PORT METHOD REQUEST_HEX STUBS_DIR [HEADER=VALUE ...]

METHOD is a full method path (/peermarket.v1.MarketService/GetSolution), REQUEST_HEX the encoded
request in hexadecimal, STUBS_DIR the modules generated from proto/google/rpc/*.proto (Debian has
no grpcio-status: the client decodes the trailer with its own copy of googleapis' protos):

    python3 -m grpc_tools.protoc -I <peermarket>/proto --python_out=STUBS_DIR \\
        google/rpc/status.proto google/rpc/error_details.proto

Each HEADER=VALUE is sent as call metadata, in order (a header may be given twice).

Prints {"code": "INVALID_ARGUMENT", "details": "...", "status": {"code": 3, "message": "...",
"details": [{"type": "google.rpc.BadRequest", "field_violations": [{"field": ..., "description": ...}]}]}}.
"""
import json
import sys


def main(argv):
    if len(argv) < 5:
        sys.stderr.write(__doc__)
        return 2
    target, method, request_hex, stubs = argv[1:5]
    metadata = [tuple(h.split("=", 1)) for h in argv[5:]]
    sys.path.insert(0, stubs)

    import grpc
    from google.rpc import error_details_pb2, status_pb2

    detail_types = {
        "google.rpc.BadRequest": error_details_pb2.BadRequest,
        "google.rpc.QuotaFailure": error_details_pb2.QuotaFailure,
        "google.rpc.PreconditionFailure": error_details_pb2.PreconditionFailure,
        "google.rpc.ResourceInfo": error_details_pb2.ResourceInfo,
        "google.rpc.ErrorInfo": error_details_pb2.ErrorInfo,
    }

    out = {"code": "OK", "details": "", "status": None}
    with grpc.insecure_channel(target) as channel:
        call = channel.unary_unary(method)
        try:
            call(bytes.fromhex(request_hex), metadata=metadata or None, timeout=60)
        except grpc.RpcError as err:
            out["code"] = err.code().name
            out["details"] = err.details()
            for key, value in err.trailing_metadata() or ():
                if key != "grpc-status-details-bin":
                    continue
                status = status_pb2.Status.FromString(value)
                details = []
                for any_detail in status.details:
                    name = any_detail.type_url.rsplit("/", 1)[-1]
                    message_type = detail_types.get(name)
                    entry = {"type": name}
                    if message_type is not None:
                        detail = message_type()
                        any_detail.Unpack(detail)
                        if name == "google.rpc.BadRequest":
                            entry["field_violations"] = [{"field": v.field, "description": v.description} for v in detail.field_violations]
                        elif name in ("google.rpc.QuotaFailure", "google.rpc.PreconditionFailure"):
                            entry["violations"] = [{"subject": v.subject, "description": v.description} for v in detail.violations]
                        elif name == "google.rpc.ResourceInfo":
                            entry["resource_type"] = detail.resource_type
                            entry["resource_name"] = detail.resource_name
                    details.append(entry)
                out["status"] = {"code": status.code, "message": status.message, "details": details}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
