/**
 * Bad input to the statistics, plots or report: the message is one line naming the function, the
 * key or index at fault, and what is allowed.
 */
export class AnalysisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisError';
  }
}
