// Original file: peermarket/v1/mechanisms.proto


export interface Coalition {
  'memberIds'?: (string)[];
  /**
   * What its members pay in total under the rule.
   */
  'cost'?: (number | string);
  /**
   * v(C): the optimum of the market restricted to it and the grid, and a certified lower bound.
   */
  'value'?: (number | string);
  'lowerBound'?: (number | string);
  /**
   * cost − value; the coalition blocks (would leave) when this exceeds the tolerance.
   */
  'excess'?: (number | string);
  'tolerance'?: (number | string);
}

export interface Coalition__Output {
  'memberIds': (string)[];
  /**
   * What its members pay in total under the rule.
   */
  'cost': (number);
  /**
   * v(C): the optimum of the market restricted to it and the grid, and a certified lower bound.
   */
  'value': (number);
  'lowerBound': (number);
  /**
   * cost − value; the coalition blocks (would leave) when this exceeds the tolerance.
   */
  'excess': (number);
  'tolerance': (number);
}
