public import AutoscalingCore

/// RFC 3339 timestamps as Kubernetes writes them (`2018-01-01T02:03:04Z`), for checkpoints.
///
/// Mirrors `metav1.Time`'s JSON form: encoding writes UTC with whole seconds (sub-second
/// milliseconds are truncated), decoding accepts fractional seconds and `±hh:mm` offsets.
public enum Timestamp: Sendable {
  /// Parses an RFC 3339 timestamp.
  ///
  /// - Parameter text: A timestamp such as `2018-01-01T02:03:04Z` or
  ///   `2018-01-01T04:03:04.5+02:00`.
  /// - Returns: The instant, in milliseconds since the Unix epoch (fractions beyond
  ///   milliseconds are truncated).
  /// - Throws: ``VerticalAutoscalingError/invalidTimestamp(_:)`` naming the text.
  public static func parse(_ text: String) throws(VerticalAutoscalingError) -> Instant {
    let bytes = Array(text.utf8)
    var position = 0
    func number(_ digits: Int) throws(VerticalAutoscalingError) -> Int64 {
      guard position + digits <= bytes.count else { throw .invalidTimestamp(text) }
      var value: Int64 = 0
      for _ in 0..<digits {
        let byte = bytes[position]
        guard byte >= 48, byte <= 57 else { throw .invalidTimestamp(text) }
        value = value * 10 + Int64(byte - 48)
        position += 1
      }
      return value
    }
    func expect(_ characters: String) throws(VerticalAutoscalingError) {
      guard position < bytes.count, characters.utf8.contains(bytes[position]) else {
        throw .invalidTimestamp(text)
      }
      position += 1
    }
    let year = try number(4)
    try expect("-")
    let month = try number(2)
    try expect("-")
    let day = try number(2)
    try expect("Tt ")
    let hour = try number(2)
    try expect(":")
    let minute = try number(2)
    try expect(":")
    let second = try number(2)
    var milliseconds: Int64 = 0
    if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
      position += 1
      var scale: Int64 = 100
      let start = position
      while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
        milliseconds += Int64(bytes[position] - 48) * scale
        scale /= 10
        position += 1
      }
      guard position > start else { throw .invalidTimestamp(text) }
    }
    guard position < bytes.count else { throw .invalidTimestamp(text) }
    var offsetMinutes: Int64 = 0
    if bytes[position] == UInt8(ascii: "Z") || bytes[position] == UInt8(ascii: "z") {
      position += 1
    } else {
      let sign: Int64 = bytes[position] == UInt8(ascii: "-") ? -1 : 1
      try expect("+-")
      let offsetHours = try number(2)
      try expect(":")
      offsetMinutes = sign * (offsetHours * 60 + (try number(2)))
    }
    guard position == bytes.count, (1...12).contains(month), (1...31).contains(day),
      hour < 24, minute < 60, second < 61
    else { throw .invalidTimestamp(text) }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
    return Instant(millisecondsSinceEpoch: seconds * 1_000 + milliseconds)
  }

  /// Formats an instant as an RFC 3339 UTC timestamp with whole seconds.
  ///
  /// - Parameter instant: An instant (milliseconds since the Unix epoch).
  /// - Returns: Text such as `2018-01-01T02:03:04Z`.
  public static func format(_ instant: Instant) -> String {
    let seconds = instant.secondsSinceEpoch
    var days = seconds / 86_400
    var secondOfDay = seconds % 86_400
    if secondOfDay < 0 {
      secondOfDay += 86_400
      days -= 1
    }
    let (year, month, day) = civilFromDays(days)
    func padded(_ value: Int64, _ width: Int) -> String {
      let digits = String(value.magnitude)
      return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count))
        + digits
    }
    return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T"
      + "\(padded(secondOfDay / 3_600, 2)):\(padded(secondOfDay / 60 % 60, 2)):"
      + "\(padded(secondOfDay % 60, 2))Z"
  }

  // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
