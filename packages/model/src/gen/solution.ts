import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentResult as _peermarket_v1_AgentResult, AgentResult__Output as _peermarket_v1_AgentResult__Output } from './peermarket/v1/AgentResult.js';
import type { CostRecovery as _peermarket_v1_CostRecovery, CostRecovery__Output as _peermarket_v1_CostRecovery__Output } from './peermarket/v1/CostRecovery.js';
import type { PeriodResult as _peermarket_v1_PeriodResult, PeriodResult__Output as _peermarket_v1_PeriodResult__Output } from './peermarket/v1/PeriodResult.js';
import type { Solution as _peermarket_v1_Solution, Solution__Output as _peermarket_v1_Solution__Output } from './peermarket/v1/Solution.js';
import type { SolveProgress as _peermarket_v1_SolveProgress, SolveProgress__Output as _peermarket_v1_SolveProgress__Output } from './peermarket/v1/SolveProgress.js';
import type { SolverSettings as _peermarket_v1_SolverSettings, SolverSettings__Output as _peermarket_v1_SolverSettings__Output } from './peermarket/v1/SolverSettings.js';
import type { Trade as _peermarket_v1_Trade, Trade__Output as _peermarket_v1_Trade__Output } from './peermarket/v1/Trade.js';
import type { Verification as _peermarket_v1_Verification, Verification__Output as _peermarket_v1_Verification__Output } from './peermarket/v1/Verification.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  peermarket: {
    v1: {
      AgentResult: MessageTypeDefinition<_peermarket_v1_AgentResult, _peermarket_v1_AgentResult__Output>
      CostRecovery: MessageTypeDefinition<_peermarket_v1_CostRecovery, _peermarket_v1_CostRecovery__Output>
      PeriodResult: MessageTypeDefinition<_peermarket_v1_PeriodResult, _peermarket_v1_PeriodResult__Output>
      Solution: MessageTypeDefinition<_peermarket_v1_Solution, _peermarket_v1_Solution__Output>
      SolveProgress: MessageTypeDefinition<_peermarket_v1_SolveProgress, _peermarket_v1_SolveProgress__Output>
      SolveStatus: EnumTypeDefinition
      SolverSettings: MessageTypeDefinition<_peermarket_v1_SolverSettings, _peermarket_v1_SolverSettings__Output>
      Trade: MessageTypeDefinition<_peermarket_v1_Trade, _peermarket_v1_Trade__Output>
      Verification: MessageTypeDefinition<_peermarket_v1_Verification, _peermarket_v1_Verification__Output>
    }
  }
}

