/// The outcome of a search or of one shard of it; a Codable value written as JSON by
/// `autoscale tune --out` and combined by `autoscale merge`.
public struct SearchResult: Sendable, Hashable, Codable {
  /// The identity of the space, scenarios and settings (see ``SearchEngine/fingerprint``).
  public var fingerprint: String
  /// The slice this result covers (``Shard/whole`` after a merge).
  public var shard: Shard
  /// The space searched; ``Evaluation/levels`` index its dimensions.
  public var space: ParameterSpace
  /// The settings of the search.
  public var configuration: SearchConfiguration
  /// The identities of the traces or windows replayed.
  public var scenarioIdentities: [String]
  /// The number of candidates in the whole plan (all shards together).
  public var plannedCandidates: Int
  /// Every candidate evaluated, ordered by ordinal; front members carry held-out scores.
  public var evaluations: [Evaluation]

  /// Creates a result; the evaluations are put in ordinal order.
  ///
  /// - Parameters:
  ///   - fingerprint: The search's fingerprint.
  ///   - shard: The slice covered.
  ///   - space: The space.
  ///   - configuration: The settings.
  ///   - scenarioIdentities: The scenarios.
  ///   - plannedCandidates: The plan's size.
  ///   - evaluations: The evaluations, in any order.
  public init(
    fingerprint: String, shard: Shard, space: ParameterSpace, configuration: SearchConfiguration,
    scenarioIdentities: [String], plannedCandidates: Int, evaluations: [Evaluation]
  ) {
    self.fingerprint = fingerprint
    self.shard = shard
    self.space = space
    self.configuration = configuration
    self.scenarioIdentities = scenarioIdentities
    self.plannedCandidates = plannedCandidates
    self.evaluations = evaluations.sorted { $0.ordinal < $1.ordinal }
  }

  private enum CodingKeys: String, CodingKey {
    case fingerprint, shard, space, configuration, scenarioIdentities, plannedCandidates, evaluations
  }

  /// Decodes a result (a file written by `autoscale tune --out`) and checks that every
  /// evaluation names one level of each dimension of the space.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError.dataCorrupted` naming the evaluation whose levels do not fit the
  ///   space, or whatever decoding a field throws.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let space = try container.decode(ParameterSpace.self, forKey: .space)
    let evaluations = try container.decode([Evaluation].self, forKey: .evaluations)
    let counts = space.levelCounts
    for evaluation in evaluations
    where evaluation.levels.count != counts.count
      || zip(evaluation.levels, counts).contains(where: { level, count in !(0..<count).contains(level) })
    {
      throw DecodingError.dataCorruptedError(
        forKey: .evaluations, in: container,
        debugDescription:
          "evaluation \(evaluation.ordinal) has levels \(evaluation.levels), which do not fit the space "
          + "(\(counts.count) dimensions with \(counts.map(String.init).joined(separator: ", ")) levels)")
    }
    self.init(
      fingerprint: try container.decode(String.self, forKey: .fingerprint),
      shard: try container.decode(Shard.self, forKey: .shard), space: space,
      configuration: try container.decode(SearchConfiguration.self, forKey: .configuration),
      scenarioIdentities: try container.decode([String].self, forKey: .scenarioIdentities),
      plannedCandidates: try container.decode(Int.self, forKey: .plannedCandidates),
      evaluations: evaluations)
  }

  /// The Pareto front over cost, under-provisioning, unserved demand and scaling actions,
  /// ordered by cost (then the other objectives, then ordinal).
  public var front: [Evaluation] { ParetoFront.of(evaluations) }

  /// The recommended candidate under ``SearchConfiguration/selection``; it is on the front.
  public var chosen: Evaluation? {
    configuration.selection.choose(from: evaluations)?.0
  }

  /// Whether the chosen candidate meets the under-provisioning bound (`true` without one).
  public var constraintMet: Bool {
    configuration.selection.choose(from: evaluations)?.met ?? false
  }

  /// The parameter values of an evaluated candidate, by dimension name.
  ///
  /// - Parameter evaluation: An evaluation of this result.
  /// - Returns: `(name, value)` pairs in dimension order.
  public func parameters(of evaluation: Evaluation) -> [(name: String, value: ParameterValue)] {
    zip(space.dimensions, evaluation.levels).map { ($0.name, $0.domain[$1]) }
  }

  /// Combines the shards of one search into the result the unsharded search gives.
  ///
  /// Held-out scores are kept for the merged front's members only (each shard scored its own
  /// front, which contains every global front member of that shard).
  ///
  /// - Parameter shards: Every shard's result, in any order, each exactly once.
  /// - Returns: The merged result, with ``shard`` ``Shard/whole``.
  /// - Throws: ``TuningError/nothingToMerge``,
  ///   ``TuningError/fingerprintMismatch(expected:found:shard:)``,
  ///   ``TuningError/shardCountMismatch(expected:found:)``,
  ///   ``TuningError/duplicateShard(index:)``, ``TuningError/missingShards(_:)`` or
  ///   ``TuningError/duplicateEvaluation(ordinal:)``.
  public static func merging(_ shards: [SearchResult]) throws(TuningError) -> SearchResult {
    guard let first = shards.first else { throw .nothingToMerge }
    var present = Set<Int>()
    for shard in shards {
      guard shard.fingerprint == first.fingerprint, shard.space == first.space,
        shard.configuration == first.configuration,
        shard.scenarioIdentities == first.scenarioIdentities,
        shard.plannedCandidates == first.plannedCandidates
      else {
        throw .fingerprintMismatch(
          expected: first.fingerprint, found: shard.fingerprint, shard: shard.shard.index)
      }
      guard shard.shard.count == first.shard.count else {
        throw .shardCountMismatch(expected: first.shard.count, found: shard.shard.count)
      }
      guard present.insert(shard.shard.index).inserted else {
        throw .duplicateShard(index: shard.shard.index)
      }
    }
    let missing = (0..<first.shard.count).filter { !present.contains($0) }
    guard missing.isEmpty else { throw .missingShards(missing) }
    var merged = first
    merged.shard = .whole
    merged.evaluations = shards.flatMap(\.evaluations).sorted { $0.ordinal < $1.ordinal }
    for (earlier, later) in zip(merged.evaluations, merged.evaluations.dropFirst())
    where earlier.ordinal == later.ordinal {
      throw .duplicateEvaluation(ordinal: later.ordinal)
    }
    let frontOrdinals = Set(merged.front.map(\.ordinal))
    for index in merged.evaluations.indices
    where !frontOrdinals.contains(merged.evaluations[index].ordinal) {
      merged.evaluations[index].holdOut = nil
    }
    return merged
  }
}
