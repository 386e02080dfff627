/** A spec the agents lib cannot run (wrong space, unimplemented algorithm, bad key); one line. */
export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
}
