public import AutoscalingCore

/// A standard five-field cron schedule in UTC (minute hour day-of-month month day-of-week), or
/// a descriptor (`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
/// `@hourly`), as robfig/cron's `ParseStandard` reads budget schedules.
public struct CronSchedule: Hashable, Sendable {
  var minutes: UInt64
  var hours: UInt64
  var daysOfMonth: UInt64
  var months: UInt64
  var daysOfWeek: UInt64
  var dayOfMonthStar: Bool
  var dayOfWeekStar: Bool

  /// Parses a schedule.
  ///
  /// - Parameters:
  ///   - text: The schedule.
  ///   - object: The object named in an error.
  ///   - field: The field named in an error.
  /// - Throws: ``NodeAutoscalingError`` for a malformed schedule.
  public init(parsing text: String, object: String = "budget", field: String = "schedule") throws(NodeAutoscalingError) {
    var spec = text.trimmingCharactersInWhitespace()
    switch spec {
    case "@yearly", "@annually": spec = "0 0 1 1 *"
    case "@monthly": spec = "0 0 1 * *"
    case "@weekly": spec = "0 0 * * 0"
    case "@daily", "@midnight": spec = "0 0 * * *"
    case "@hourly": spec = "0 * * * *"
    default: break
    }
    let fields = spec.split(whereSeparator: \.isWhitespace).map(String.init)
    guard fields.count == 5 else {
      throw NodeAutoscalingError(
        .invalidValue, object: object, field: field,
        message: "\"\(text)\" is not a cron schedule: expected 5 fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily")
    }
    func parse(_ index: Int, _ range: ClosedRange<Int>, _ names: [String: Int]) throws(NodeAutoscalingError) -> (UInt64, Bool) {
      var bits: UInt64 = 0
      var star = false
      for part in fields[index].split(separator: ",", omittingEmptySubsequences: false) {
        let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2, !pieces[0].isEmpty else {
          throw NodeAutoscalingError(.invalidValue, object: object, field: field, message: "\"\(text)\": bad field \"\(part)\"")
        }
        var low = range.lowerBound
        var high = range.upperBound
        var step = 1
        func value(_ s: Substring) throws(NodeAutoscalingError) -> Int {
          if let number = Int(s), range.contains(number) || (range.upperBound == 6 && number == 7) { return number == 7 && range.upperBound == 6 ? 0 : number }
          if let named = names[s.uppercased()] { return named }
          throw NodeAutoscalingError(
            .invalidValue, object: object, field: field, message: "\"\(text)\": \"\(s)\" is outside \(range.lowerBound)–\(range.upperBound)")
        }
        if pieces[0] == "*" || pieces[0] == "?" {
          if pieces.count == 1 { star = true }
        } else {
          let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
          guard bounds.count <= 2 else {
            throw NodeAutoscalingError(.invalidValue, object: object, field: field, message: "\"\(text)\": bad range \"\(pieces[0])\"")
          }
          low = try value(bounds[0])
          high = bounds.count == 2 ? try value(bounds[1]) : (pieces.count == 2 ? range.upperBound : low)
        }
        if pieces.count == 2 {
          guard let parsed = Int(pieces[1]), parsed > 0 else {
            throw NodeAutoscalingError(.invalidValue, object: object, field: field, message: "\"\(text)\": bad step \"\(pieces[1])\"")
          }
          step = parsed
        }
        guard low <= high else {
          throw NodeAutoscalingError(.invalidValue, object: object, field: field, message: "\"\(text)\": range \(low)-\(high) is reversed")
        }
        var v = low
        while v <= high {
          bits |= 1 << UInt64(v)
          v += step
        }
      }
      return (bits, star)
    }
    let monthNames = ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
    let dayNames = ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
    minutes = try parse(0, 0...59, [:]).0
    hours = try parse(1, 0...23, [:]).0
    (daysOfMonth, dayOfMonthStar) = try parse(2, 1...31, [:])
    months = try parse(3, 1...12, monthNames).0
    (daysOfWeek, dayOfWeekStar) = try parse(4, 0...6, dayNames)
  }

  private func dayMatches(day: Int, weekday: Int) -> Bool {
    let dom = daysOfMonth & (1 << UInt64(day)) != 0
    let dow = daysOfWeek & (1 << UInt64(weekday)) != 0
    if dayOfMonthStar || dayOfWeekStar { return dom && dow }
    return dom || dow
  }

  /// The first minute strictly after `instant` that the schedule hits (`Schedule.Next`),
  /// searching up to five years ahead.
  ///
  /// - Parameter instant: The time to search after.
  /// - Returns: The hit, or `nil` when there is none within five years or the hit lies beyond
  ///   the last instant an `Int64` of milliseconds can hold.
  public func next(after instant: Instant) -> Instant? {
    let first = Self.minute(containing: Int128(instant.millisecondsSinceEpoch)) + 1
    guard let hit = firstHit(fromMinute: first) else { return nil }
    let (milliseconds, overflow) = hit.multipliedReportingOverflow(by: Self.minuteMilliseconds)
    return overflow ? nil : Instant(millisecondsSinceEpoch: milliseconds)
  }

  static let minuteMilliseconds: Int64 = 60_000

  /// The minute (since the epoch, rounded down) that holds a time in milliseconds; wide
  /// enough for a difference of two `Int64` instants, and then within `Int64`.
  static func minute(containing milliseconds: Int128) -> Int64 {
    let divisor = Int128(minuteMilliseconds)
    let truncated = milliseconds / divisor
    return Int64(milliseconds % divisor < 0 ? truncated - 1 : truncated)
  }

  /// The first minute at or after `start` (minutes since the epoch) that the schedule hits,
  /// searching up to five years ahead.
  func firstHit(fromMinute start: Int64) -> Int64? {
    let dayMinutes: Int64 = 1_440
    var day = start >= 0 ? start / dayMinutes : (start - dayMinutes + 1) / dayMinutes
    var minuteOfDay = start - day * dayMinutes
    for _ in 0..<(366 * 5) {
      let (_, month, dayOfMonth) = CivilDate.fromDays(day)
      let weekday = Int(((day % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
      if months & (1 << UInt64(month)) != 0 && dayMatches(day: dayOfMonth, weekday: weekday) {
        var m = minuteOfDay
        while m < dayMinutes {
          let hour = m / 60
          if hours & (1 << UInt64(hour)) == 0 {
            m = (hour + 1) * 60
            continue
          }
          if minutes & (1 << UInt64(m % 60)) != 0 { return day * dayMinutes + m }
          m += 1
        }
      }
      day += 1
      minuteOfDay = 0
    }
    return nil
  }
}

/// Conversions between days since 1970-01-01 and the proleptic Gregorian calendar.
enum CivilDate {
  static func fromDays(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, Int(m), Int(d))
  }

  static func days(year: Int64, month: Int, day: Int) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}

extension String {
  func trimmingCharactersInWhitespace() -> String { self[...].trimmingWhitespace() }
}

extension DisruptionBudget {
  /// Whether the budget is active at `now` (`Budget.IsActive`): always without a schedule;
  /// otherwise iff the next schedule hit after `now − duration` is at or before `now`.
  ///
  /// - Parameter now: The current time.
  /// - Returns: Whether it is active.
  /// - Throws: ``NodeAutoscalingError`` for a malformed schedule or a schedule without a duration.
  public func isActive(at now: Instant) throws(NodeAutoscalingError) -> Bool {
    guard let schedule else { return true }
    guard let duration = durationMilliseconds else {
      throw NodeAutoscalingError(.missingField, object: "budget", field: "duration", message: "a budget with a schedule needs a duration")
    }
    let cron = try CronSchedule(parsing: schedule)
    // In whole minutes, and now − duration in 128 bits: exact for any two Int64 values.
    let now128 = Int128(now.millisecondsSinceEpoch)
    let start = CronSchedule.minute(containing: now128 - Int128(duration)) + 1
    guard let hit = cron.firstHit(fromMinute: start) else { return false }
    return hit <= CronSchedule.minute(containing: now128)
  }

  /// The number of nodes the budget allows disrupting (`Budget.GetAllowedDisruptions`):
  /// `Int32.max` while inactive; a percentage of `numNodes` rounded up; or the integer.
  ///
  /// - Parameters:
  ///   - numNodes: The NodePool's counted nodes.
  ///   - now: The current time.
  /// - Returns: Nodes.
  /// - Throws: ``NodeAutoscalingError`` for a malformed `nodes`, schedule or duration.
  public func allowedDisruptions(numNodes: Int, now: Instant) throws(NodeAutoscalingError) -> Int {
    guard try isActive(at: now) else { return Int(Int32.max) }
    let text = nodes.trimmingCharactersInWhitespace()
    if text.hasSuffix("%") {
      let digits = text.dropLast()
      guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let percent = Int(digits), percent <= 100 else {
        throw NodeAutoscalingError(.invalidValue, object: "budget", field: "nodes", message: "\"\(nodes)\" is not a percentage from 0% to 100%")
      }
      return (percent * numNodes + 99) / 100
    }
    guard let count = Int(text), count >= 0 else {
      throw NodeAutoscalingError(.invalidValue, object: "budget", field: "nodes", message: "\"\(nodes)\" is neither a non-negative integer nor a percentage")
    }
    return count
  }
}

extension NodePool {
  /// The nodes that may be disrupted for `reason` (`GetAllowedDisruptionsByReason`): the minimum
  /// over active budgets naming the reason (or no reason); `Int32.max` when none applies; 0
  /// (fail closed) when a budget is invalid.
  ///
  /// - Parameters:
  ///   - reason: The disruption reason.
  ///   - numNodes: The NodePool's counted nodes.
  ///   - now: The current time.
  /// - Returns: Nodes.
  public func allowedDisruptions(reason: DisruptionReason, numNodes: Int, now: Instant) -> Int {
    var allowed = Int(Int32.max)
    for budget in disruption.budgets where budget.reasons.isEmpty || budget.reasons.contains(reason) {
      guard let value = try? budget.allowedDisruptions(numNodes: numNodes, now: now) else { return 0 }
      allowed = Swift.min(allowed, value)
    }
    return allowed
  }
}
