/// A point on a timeline, in whole milliseconds since an epoch the caller chooses.
///
/// Decision functions never read a wall clock: callers pass `now` explicitly, so a trace
/// replays to the same decisions on every run and platform. In a replay the epoch is the
/// trace's (usually the Unix epoch); in a controller it is whatever its own clock uses.
public struct Instant: Hashable, Comparable, Sendable, Codable {
  /// Milliseconds since the epoch; negative values lie before it.
  public var millisecondsSinceEpoch: Int64

  /// Creates an instant from milliseconds since the epoch.
  ///
  /// - Parameter millisecondsSinceEpoch: Milliseconds since the epoch.
  public init(millisecondsSinceEpoch: Int64) {
    self.millisecondsSinceEpoch = millisecondsSinceEpoch
  }

  /// Creates an instant a whole number of seconds after the epoch.
  ///
  /// - Parameter seconds: Seconds since the epoch.
  /// - Returns: The instant `seconds × 1000` milliseconds after the epoch.
  public static func seconds(_ seconds: Int64) -> Instant {
    Instant(millisecondsSinceEpoch: seconds &* 1_000)
  }

  /// The epoch itself.
  public static let epoch = Instant(millisecondsSinceEpoch: 0)

  /// A far-past instant standing for Go's zero `time.Time` (year 1), which upstream uses for
  /// "never" (for example a pod's unset readiness transition time).
  ///
  /// It is 62,135,596,800 seconds before the Unix epoch, as Go's zero time is.
  public static let distantPast = Instant(millisecondsSinceEpoch: -62_135_596_800_000)

  /// Whole seconds since the epoch, rounded toward negative infinity.
  public var secondsSinceEpoch: Int64 {
    let (quotient, remainder) = millisecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000)
    return remainder < 0 ? quotient - 1 : quotient
  }

  /// Returns `true` when `lhs` is earlier than `rhs`.
  ///
  /// - Parameters:
  ///   - lhs: An instant.
  ///   - rhs: Another instant.
  /// - Returns: Whether `lhs` lies before `rhs`.
  public static func < (lhs: Instant, rhs: Instant) -> Bool {
    lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
  }
}

extension Instant: InstantProtocol {
  /// Returns the instant `duration` later (earlier when negative), to the whole millisecond.
  ///
  /// - Parameter duration: The span to add; sub-millisecond parts are truncated.
  /// - Returns: The shifted instant.
  public func advanced(by duration: Duration) -> Instant {
    Instant(millisecondsSinceEpoch: millisecondsSinceEpoch &+ duration.wholeMilliseconds)
  }

  /// Returns the span from this instant to `other`, in whole milliseconds.
  ///
  /// - Parameter other: The later (or earlier) instant.
  /// - Returns: `other − self`.
  public func duration(to other: Instant) -> Duration {
    .milliseconds(other.millisecondsSinceEpoch &- millisecondsSinceEpoch)
  }
}

extension Instant {
  /// Returns `lhs` moved later by `rhs`.
  ///
  /// - Parameters:
  ///   - lhs: An instant.
  ///   - rhs: A span (whole milliseconds count).
  /// - Returns: The later instant.
  public static func + (lhs: Instant, rhs: Duration) -> Instant { lhs.advanced(by: rhs) }

  /// Returns `lhs` moved earlier by `rhs`.
  ///
  /// - Parameters:
  ///   - lhs: An instant.
  ///   - rhs: A span (whole milliseconds count).
  /// - Returns: The earlier instant.
  public static func - (lhs: Instant, rhs: Duration) -> Instant {
    Instant(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch &- rhs.wholeMilliseconds)
  }

  /// Returns the span between two instants, `lhs − rhs`.
  ///
  /// - Parameters:
  ///   - lhs: The later instant.
  ///   - rhs: The earlier instant.
  /// - Returns: The span in whole milliseconds (negative when `lhs` is earlier).
  public static func - (lhs: Instant, rhs: Instant) -> Duration {
    rhs.duration(to: lhs)
  }

  /// Milliseconds from `other` to this instant (`self − other`), without building a `Duration`.
  ///
  /// - Parameter other: The reference instant.
  /// - Returns: The difference in milliseconds, wrapping on overflow.
  public func milliseconds(since other: Instant) -> Int64 {
    millisecondsSinceEpoch &- other.millisecondsSinceEpoch
  }
}

extension Instant: CustomStringConvertible {
  /// The instant as `@<milliseconds>ms`, for logs and test failures.
  public var description: String { "@\(millisecondsSinceEpoch)ms" }
}
