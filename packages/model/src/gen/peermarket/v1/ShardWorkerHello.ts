// Original file: peermarket/v1/negotiation.proto


export interface ShardWorkerHello {
  /**
   * Free-form name of the worker (host, pid), for the coordinator's logs.
   */
  'name'?: (string);
}

export interface ShardWorkerHello__Output {
  /**
   * Free-form name of the worker (host, pid), for the coordinator's logs.
   */
  'name': (string);
}
