/// How a search picks the candidates it evaluates.
public enum Strategy: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Every valid candidate, in grid order (last dimension fastest). For small spaces; the
  /// number of valid candidates must not exceed the budget.
  case grid
  /// `budget` distinct valid candidates drawn uniformly with a seeded generator.
  case random(seed: UInt64)
  /// A Latin hypercube of `budget` samples over the level indices (each dimension's levels
  /// covered evenly), topped up with random draws where constraints reject a sample.
  case latinHypercube(seed: UInt64)
  /// A Latin hypercube start followed by pattern search around the chosen candidate and its
  /// neighbours on the Pareto front, with steps halving down to one level, then diagonal
  /// moves. When the pattern search converges with budget left, it starts again from a new
  /// hypercube, so the budget is spent (or, in a small space, every valid candidate is
  /// evaluated). From the same number of starting samples (`initialSamples`, or the default
  /// once the budget reaches 50 per dimension), a larger budget never chooses a dearer
  /// candidate. Adaptive, so it cannot be sharded.
  ///
  /// - `initialSamples`: the size of each starting hypercube (default: a fifth of the budget,
  ///   at most 10 per dimension, at least 8).
  case refine(seed: UInt64, initialSamples: Int? = nil)
  /// Successive halving on trace prefixes: a Latin hypercube of `budget` candidates is
  /// scored on the first 1/`reduction`^(`rungs`−1) of the tuning part; the best
  /// 1/`reduction` (cheapest meeting the bound first, then least under-provisioned) go on
  /// to a `reduction` times longer prefix, and so on; the last rung replays the whole tuning
  /// part, and only its candidates form the result. Roughly `rungs` × budget /
  /// `reduction`^(`rungs`−1) full replays' worth of work instead of `budget`. Adaptive, so
  /// it cannot be sharded.
  case successiveHalving(seed: UInt64, reduction: Int = 3, rungs: Int = 3)

  /// The name used on the command line (`grid`, `random`, `latin-hypercube`, `refine`,
  /// `halving`).
  public var name: String {
    switch self {
    case .grid: return "grid"
    case .random: return "random"
    case .latinHypercube: return "latin-hypercube"
    case .refine: return "refine"
    case .successiveHalving: return "halving"
    }
  }

  /// Whether the candidates depend on earlier results (then sharding is refused).
  public var isAdaptive: Bool {
    switch self {
    case .refine, .successiveHalving: return true
    case .grid, .random, .latinHypercube: return false
    }
  }

  /// Makes a strategy from its command-line name.
  ///
  /// - Parameters:
  ///   - name: `grid`, `random`, `latin-hypercube` (or `lhs`), `refine`, or `halving`.
  ///   - seed: The seed for the seeded strategies.
  /// - Returns: The strategy, or `nil` for an unknown name.
  public static func named(_ name: String, seed: UInt64) -> Strategy? {
    switch name.lowercased() {
    case "grid": return .grid
    case "random": return .random(seed: seed)
    case "latin-hypercube", "lhs", "latinhypercube": return .latinHypercube(seed: seed)
    case "refine", "smart": return .refine(seed: seed)
    case "halving", "successive-halving": return .successiveHalving(seed: seed)
    default: return nil
    }
  }

  /// The strategy and its settings as stable text, part of the fingerprint.
  public var description: String {
    switch self {
    case .grid: return "grid"
    case .random(let seed): return "random(seed: \(seed))"
    case .latinHypercube(let seed): return "latin-hypercube(seed: \(seed))"
    case .refine(let seed, let initial):
      return "refine(seed: \(seed), initial: \(initial.map(String.init) ?? "auto"))"
    case .successiveHalving(let seed, let reduction, let rungs):
      return "halving(seed: \(seed), reduction: \(reduction), rungs: \(rungs))"
    }
  }
}

/// The settings of a search that decide its result.
public struct SearchConfiguration: Sendable, Hashable, Codable {
  /// How candidates are picked.
  public var strategy: Strategy
  /// The largest number of candidates evaluated (on the tuning part of the traces).
  public var budget: Int
  /// Which candidate is recommended.
  public var selection: Selection
  /// How scores over several traces or windows are combined.
  public var aggregation: ScenarioAggregation

  /// Creates search settings.
  ///
  /// - Parameters:
  ///   - strategy: How candidates are picked.
  ///   - budget: The largest number of evaluated candidates, ≥ 1.
  ///   - selection: The recommendation rule.
  ///   - aggregation: How several scenarios combine.
  public init(
    strategy: Strategy, budget: Int, selection: Selection = Selection(),
    aggregation: ScenarioAggregation = .worstCase
  ) {
    self.strategy = strategy
    self.budget = budget
    self.selection = selection
    self.aggregation = aggregation
  }
}

/// How evaluation work is spread over tasks; it never changes results.
public struct Parallelism: Sendable, Hashable {
  /// Candidates evaluated by one task, one after the other.
  public var chunkSize: Int
  /// The most tasks in flight at once (the cooperative pool runs them on all cores).
  public var maximumConcurrentTasks: Int

  /// Creates a work split.
  ///
  /// - Parameters:
  ///   - chunkSize: Candidates per task, ≥ 1.
  ///   - maximumConcurrentTasks: Tasks in flight, ≥ 1 (1 evaluates serially).
  public init(chunkSize: Int = 1, maximumConcurrentTasks: Int = 64) {
    self.chunkSize = max(1, chunkSize)
    self.maximumConcurrentTasks = max(1, maximumConcurrentTasks)
  }

  /// One task at a time: the serial reference.
  public static let serial = Parallelism(chunkSize: 1, maximumConcurrentTasks: 1)
}

/// A deterministic slice of a search: candidate `ordinal` belongs to shard
/// `ordinal % count`.
public struct Shard: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The shard's index, `0..<count` (Kubernetes' `JOB_COMPLETION_INDEX`).
  public let index: Int
  /// The number of shards.
  public let count: Int

  /// The whole search as one shard.
  public static let whole = Shard(uncheckedIndex: 0, count: 1)

  private init(uncheckedIndex index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Creates a shard.
  ///
  /// - Parameters:
  ///   - index: The index, `0..<count`.
  ///   - count: The number of shards, ≥ 1.
  /// - Throws: ``TuningError/shardOutOfRange(index:count:)``.
  public init(index: Int, count: Int) throws(TuningError) {
    guard count >= 1, (0..<count).contains(index) else {
      throw .shardOutOfRange(index: index, count: count)
    }
    self.init(uncheckedIndex: index, count: count)
  }

  /// Parses `I/N`, for example `0/4`.
  ///
  /// - Parameter text: The shard text.
  /// - Throws: ``TuningError/invalidShardText(_:)`` or
  ///   ``TuningError/shardOutOfRange(index:count:)``.
  public init(parsing text: String) throws(TuningError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0].filter { $0 != " " }),
      let count = Int(parts[1].filter { $0 != " " })
    else { throw .invalidShardText(text) }
    try self.init(index: index, count: count)
  }

  /// Decodes a shard and checks its range.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError.dataCorrupted` when the index is out of range.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let index = try container.decode(Int.self, forKey: .index)
    let count = try container.decode(Int.self, forKey: .count)
    guard count >= 1, (0..<count).contains(index) else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: TuningError.shardOutOfRange(index: index, count: count).description))
    }
    self.init(uncheckedIndex: index, count: count)
  }

  /// Whether a candidate belongs to this shard.
  ///
  /// - Parameter ordinal: The candidate's position in the plan.
  /// - Returns: `true` when `ordinal % count == index`.
  public func contains(_ ordinal: Int) -> Bool { ordinal % count == index }

  /// `I/N`.
  public var description: String { "\(index)/\(count)" }
}
