/// Everything that can go wrong while describing, searching or merging a tuning run.
///
/// Each case carries the context a person needs to fix the input: the dimension or field
/// name, the offending value and the rule it breaks.
public enum TuningError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A dimension has no level to choose from (an empty value list or an empty range).
  case emptyDimension(name: String)
  /// Two dimensions share a name.
  case duplicateDimension(name: String)
  /// A dimension description is malformed (for example both `values` and a range).
  case invalidDimension(name: String, reason: String)
  /// A dimension's levels break the API server's validation of the field it sets.
  case invalidParameterValue(name: String, value: String, rule: String)
  /// A constraint names a dimension the space does not have, or cannot be parsed.
  case invalidConstraint(text: String, reason: String)
  /// No combination of levels satisfies the constraints.
  case noValidCandidate(reason: String)
  /// The evaluation budget is zero or negative.
  case invalidBudget(Int)
  /// The exhaustive grid holds more candidates than the budget allows.
  case gridTooLarge(candidates: Int, budget: Int)
  /// A shard index is outside `0..<count`, or the count is not positive.
  case shardOutOfRange(index: Int, count: Int)
  /// A shard specification such as `2/8` could not be parsed.
  case invalidShardText(String)
  /// The strategy adapts to earlier results, so it cannot be split into independent shards.
  case strategyNotShardable(strategy: String)
  /// Results being merged come from different spaces, traces or search settings.
  case fingerprintMismatch(expected: String, found: String, shard: Int)
  /// Results being merged were cut into different shard counts.
  case shardCountMismatch(expected: Int, found: Int)
  /// The same shard appears twice among the results being merged.
  case duplicateShard(index: Int)
  /// Some shards are missing from the results being merged.
  case missingShards([Int])
  /// The same candidate (by ordinal) is among the evaluations of two shards being merged.
  case duplicateEvaluation(ordinal: Int)
  /// Nothing was given to merge.
  case nothingToMerge
  /// An evaluator produced an objective that is not a finite number.
  case nonFiniteObjective(objective: String, candidate: Int)
  /// An evaluator reported a failure for a candidate.
  case evaluationFailed(candidate: Int, reason: String)
  /// A parameter name is not one the HPA behavior mapping understands.
  case unknownParameter(name: String)
  /// The tuner's inputs are unusable (for example a trace too short to split).
  case invalidInput(reason: String)

  /// A message for the person who reads it, naming the field and the rule.
  public var description: String {
    switch self {
    case .emptyDimension(let name):
      return "dimension '\(name)' has no value to choose from; give at least one value"
    case .duplicateDimension(let name):
      return "dimension '\(name)' is declared twice; each name may appear once"
    case .invalidDimension(let name, let reason):
      return "dimension '\(name)': \(reason)"
    case .invalidParameterValue(let name, let value, let rule):
      return "dimension '\(name)': value \(value) is rejected by the API server: \(rule)"
    case .invalidConstraint(let text, let reason):
      return "constraint '\(text)': \(reason)"
    case .noValidCandidate(let reason):
      return "the space has no valid candidate: \(reason)"
    case .invalidBudget(let budget):
      return "budget must be at least 1 evaluation (got \(budget))"
    case .gridTooLarge(let candidates, let budget):
      return
        "the grid has \(candidates) candidates but the budget is \(budget); raise --budget "
        + "or use the random, latin-hypercube or refine strategy"
    case .shardOutOfRange(let index, let count):
      return
        "shard \(index)/\(count) is out of range: the count must be ≥ 1 and the index in "
        + "0..<\(max(count, 0))"
    case .invalidShardText(let text):
      return "shard '\(text)' is not of the form I/N (for example 0/4)"
    case .strategyNotShardable(let strategy):
      return
        "strategy '\(strategy)' adapts to earlier results and cannot be sharded; use grid, "
        + "random or latin-hypercube with --shard"
    case .fingerprintMismatch(let expected, let found, let shard):
      return
        "shard \(shard) has fingerprint \(found) but the first result has \(expected): the "
        + "results come from different spaces, traces or search settings"
    case .shardCountMismatch(let expected, let found):
      return "results were cut into \(expected) and \(found) shards; merge one run's shards"
    case .duplicateShard(let index):
      return "shard \(index) appears more than once"
    case .missingShards(let indices):
      return "shards \(indices.map(String.init).joined(separator: ", ")) are missing"
    case .duplicateEvaluation(let ordinal):
      return "candidate \(ordinal) was evaluated in more than one shard; merge the files of one run's shards"
    case .nothingToMerge:
      return "no results to merge"
    case .nonFiniteObjective(let objective, let candidate):
      return "candidate \(candidate): objective '\(objective)' is not a finite number"
    case .evaluationFailed(let candidate, let reason):
      return "candidate \(candidate) could not be evaluated: \(reason)"
    case .unknownParameter(let name):
      return
        "parameter '\(name)' is not an HPA tuning parameter; known: "
        + HPAParameter.allCases.map(\.rawValue).joined(separator: ", ")
    case .invalidInput(let reason):
      return reason
    }
  }
}
