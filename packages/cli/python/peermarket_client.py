"""A small client of the peermarket gRPC service (peermarket.v1.MarketService).

Needs only grpcio and protobuf (Debian: python3-grpcio, python3-protobuf): the message classes
are built at run time from peermarket.binpb, the FileDescriptorSet next to this file (the one
the service serves by reflection), so no protoc and no generated stubs are needed.

    from peermarket_client import MarketClient, load_scenario
    with MarketClient("127.0.0.1:50051") as client:
        solution = client.solve_market(load_scenario("case39b_31a.json"))
        print(solution.status, [(t.seller_id, t.buyer_id, t.power) for t in solution.trades])

Messages are protobuf messages (snake_case attributes); `to_dict` gives their proto3 JSON with
every field present. Write a scenario file with `peermarket export CASE --out FILE`.
"""

import json
import os

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

SERVICE = "peermarket.v1.MarketService"
DESCRIPTOR_SET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peermarket.binpb")


def _load_pool(path=DESCRIPTOR_SET):
    file_set = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        file_set.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    files = {f.name: f for f in file_set.file}
    added = set()

    def add(name):
        if name in added or name not in files:
            return
        added.add(name)
        for dep in files[name].dependency:
            add(dep)
        pool.Add(files[name])

    for name in files:
        add(name)
    return pool


POOL = _load_pool()
_classes = {}


def message_class(full_name):
    """The message class of a fully-qualified type name, e.g. 'peermarket.v1.Market'."""
    cls = _classes.get(full_name)
    if cls is None:
        descriptor = POOL.FindMessageTypeByName(full_name)
        if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
            cls = message_factory.GetMessageClass(descriptor)
        else:  # protobuf 3.x / 4.21 (Debian 12)
            cls = message_factory.MessageFactory(POOL).GetPrototype(descriptor)
        _classes[full_name] = cls
    return cls


def to_dict(message):
    """proto3 JSON of a message as a dict, with every field present (zeros included)."""
    try:
        return json_format.MessageToDict(message, always_print_fields_with_no_presence=True)
    except TypeError:  # protobuf < 5.26
        return json_format.MessageToDict(message, including_default_value_fields=True)


def load_scenario(path):
    """A scenario file (proto3 JSON of peermarket.v1.Market) as a Market message."""
    with open(path, encoding="utf-8") as f:
        return json_format.Parse(f.read(), message_class("peermarket.v1.Market")())


class MarketClient:
    """Every RPC of MarketService as a method named after it in snake_case (solve_market,
    stream_solve_market, get_solution, list_solutions, get_network_charges, ...), taking the
    request as a message, a dict (proto3 JSON) or keyword fields, and returning the reply
    message (an iterator of messages for streaming RPCs)."""

    def __init__(self, target, credentials=None, token=None, timeout=120.0):
        self.channel = grpc.secure_channel(target, credentials) if credentials else grpc.insecure_channel(target)
        self.timeout = timeout
        self.metadata = (("authorization", "Bearer " + token),) if token else None
        self.methods = {}
        service = POOL.FindServiceByName(SERVICE)
        for method in service.methods:
            request = message_class(method.input_type.full_name)
            reply = message_class(method.output_type.full_name)
            path = "/%s/%s" % (SERVICE, method.name)
            kind = self.channel.unary_stream if method.server_streaming else self.channel.unary_unary
            call = kind(path, request_serializer=request.SerializeToString, response_deserializer=reply.FromString)
            self.methods[method.name] = (request, call)
            setattr(self, _snake(method.name), self._bind(method.name))

    def _bind(self, name):
        def rpc(request=None, timeout=None, **fields):
            return self.call(name, request, timeout=timeout, **fields)

        rpc.__name__ = _snake(name)
        return rpc

    def call(self, name, request=None, timeout=None, **fields):
        """Calls MarketService/<name> with a message, a dict (proto3 JSON) or keyword fields."""
        request_class, call = self.methods[name]
        if request is None:
            request = json_format.ParseDict(fields, request_class())
        elif isinstance(request, dict):
            request = json_format.ParseDict(request, request_class())
        elif request.DESCRIPTOR.full_name == "peermarket.v1.Market" and request_class.DESCRIPTOR.full_name != "peermarket.v1.Market":
            wrapped = request_class()
            wrapped.market.CopyFrom(request)
            request = wrapped
        return call(request, timeout=timeout or self.timeout, metadata=self.metadata)

    def close(self):
        self.channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _snake(name):
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i > 0:
            out.append("_")
        out.append(c.lower())
    return "".join(out)


__all__ = ["MarketClient", "message_class", "load_scenario", "to_dict", "POOL", "SERVICE"]
