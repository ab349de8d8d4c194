/// Which part of a trace a candidate is scored on.
public enum Segment: String, Sendable, Hashable, Codable {
  /// The part the search tunes on (the whole trace when there is no hold-out).
  case tuning
  /// The held-out part, used only to validate the front and the chosen candidate.
  case holdOut
}

/// Scores one candidate on one scenario (a trace or a window of one).
///
/// An evaluator is a value shared by every task of a search, so it must be `Sendable` and
/// must not keep mutable state: the same inputs give the same scores, whichever task or core
/// asks.
public protocol CandidateEvaluator: Sendable {
  /// One stable identity per scenario (a trace's name, length and checksum, for example).
  /// Results of searches whose identities differ are never merged.
  var scenarioIdentities: [String] { get }
  /// Whether the evaluator can score the held-out part of its scenarios.
  var hasHoldOut: Bool { get }
  /// Scores a candidate.
  ///
  /// - Parameters:
  ///   - levels: One level index per dimension of the search's space.
  ///   - scenario: A scenario index, `0..<scenarioIdentities.count`.
  ///   - segment: The part of the scenario to score.
  /// - Returns: The scores.
  /// - Throws: ``TuningError/evaluationFailed(candidate:reason:)`` or another
  ///   ``TuningError`` when the candidate cannot be replayed.
  func objectives(
    for levels: [Int], scenario: Int, segment: Segment
  ) throws(TuningError) -> Objectives
  /// Scores a candidate on the first `fraction` of a scenario's tuning part (the cheap rungs
  /// of ``Strategy/successiveHalving(seed:reduction:rungs:)``); the default scores the whole
  /// tuning part.
  ///
  /// - Parameters:
  ///   - levels: One level index per dimension.
  ///   - scenario: A scenario index.
  ///   - fraction: The share of the tuning part, 0 < fraction < 1.
  /// - Returns: The scores on that prefix.
  /// - Throws: As ``objectives(for:scenario:segment:)``.
  func objectives(
    for levels: [Int], scenario: Int, tuningPrefix fraction: Double
  ) throws(TuningError) -> Objectives
}

extension CandidateEvaluator {
  /// Scores the whole tuning part: the default for evaluators that cannot score a prefix
  /// (the replay evaluator replays the prefix instead).
  ///
  /// - Parameters:
  ///   - levels: One level index per dimension.
  ///   - scenario: A scenario index.
  ///   - fraction: The share of the tuning part, 0 < fraction ≤ 1.
  /// - Returns: The scores on that prefix.
  /// - Throws: As ``objectives(for:scenario:segment:)``.
  public func objectives(
    for levels: [Int], scenario: Int, tuningPrefix fraction: Double
  ) throws(TuningError) -> Objectives {
    try objectives(for: levels, scenario: scenario, segment: .tuning)
  }
}

/// How far a search has got, reported after each finished chunk of work.
public struct SearchProgress: Sendable, Hashable {
  /// Candidates evaluated so far in this phase.
  public var completed: Int
  /// Candidates this phase will evaluate (for adaptive strategies, the current round's end).
  public var total: Int
  /// The phase: `search` or `hold-out`.
  public var phase: String
}
