// Byte-level number and time parsing for the readers: no String allocation on the fast path.

private let powersOfTen: [Double] = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// The outcome of parsing a numeric field.
enum ParsedNumber {
  case value(Double)
  case empty
  case invalid
}

/// Parses a decimal number (`-12.5`, `3e-4`, `nan`, `inf`) from `bytes[start..<end]`.
///
/// Uses Clinger's fast path (exact when the mantissa has at most 15 digits — below 2⁵³ — and the
/// power of ten is at most 22) and falls back to the standard library's correctly rounded
/// parser otherwise, so every result is the correctly rounded double.
@inline(__always)
func parseNumber(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> ParsedNumber {
  if start >= end { return .empty }
  var index = start
  var negative = false
  let first = bytes[index]
  if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
    negative = first == UInt8(ascii: "-")
    index += 1
  }
  var mantissa: UInt64 = 0
  var digits = 0
  var significantDigits = 0
  var exponent = 0
  var sawDigit = false
  while index < end {
    let digit = bytes[index] &- UInt8(ascii: "0")
    if digit > 9 { break }
    sawDigit = true
    if significantDigits < 19 {
      if mantissa != 0 || digit != 0 { significantDigits += 1 }
      mantissa = mantissa &* 10 &+ UInt64(digit)
    } else {
      exponent += 1
      significantDigits += 1
    }
    digits += 1
    index += 1
  }
  if index < end && bytes[index] == UInt8(ascii: ".") {
    index += 1
    while index < end {
      let digit = bytes[index] &- UInt8(ascii: "0")
      if digit > 9 { break }
      sawDigit = true
      if significantDigits < 19 {
        if mantissa != 0 || digit != 0 { significantDigits += 1 }
        mantissa = mantissa &* 10 &+ UInt64(digit)
        exponent -= 1
      } else {
        significantDigits += 1
      }
      index += 1
    }
  }
  if !sawDigit { return slowParse(bytes, start, end) }
  if index < end && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
    index += 1
    var exponentNegative = false
    if index < end && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
      exponentNegative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    var value = 0
    var sawExponentDigit = false
    while index < end {
      let digit = bytes[index] &- UInt8(ascii: "0")
      if digit > 9 { break }
      sawExponentDigit = true
      if value < 100_000 { value = value * 10 + Int(digit) }
      index += 1
    }
    if !sawExponentDigit { return .invalid }
    exponent += exponentNegative ? -value : value
  }
  if index != end { return .invalid }
  if significantDigits <= 15 && exponent >= -22 && exponent <= 22 {
    var result = Double(mantissa)
    if exponent < 0 {
      result /= powersOfTen[-exponent]
    } else {
      result *= powersOfTen[exponent]
    }
    return .value(negative ? -result : result)
  }
  if significantDigits <= 19 && exponent >= -19 && exponent <= 19 {
    let result = exactDecimal(mantissa, exponent)
    return .value(negative ? -result : result)
  }
  return slowParse(bytes, start, end)
}

/// Scans the number at `bytes[start...]` when it has the plain form the fast paths compute
/// exactly — `[+-]digits[.digits][(e|E)[+-]digits]` with 1 to 19 digits — and returns it with
/// the index just past it; `nil` for anything else (`nan`, more digits, a huge exponent, no
/// digit), so the caller takes the general path through ``parseNumber(_:_:_:)``.
///
/// Where it returns a value, that value is bit for bit the one ``parseNumber(_:_:_:)`` gives
/// for the same text: with at most 19 digits the mantissa is exact, its decimal length is the
/// number of significant digits, and the same Clinger or 128-bit branch is taken. It does not
/// check what follows the number (the CSV fast path expects a blank, the delimiter or the line
/// end there).
@inline(__always)
func scanPlainNumber(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int)
  -> (value: Double, end: Int)?
{
  var index = start
  guard index < end else { return nil }
  var negative = false
  let first = bytes[index]
  if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
    negative = first == UInt8(ascii: "-")
    index += 1
  }
  var mantissa: UInt64 = 0
  let integerStart = index
  while index < end {
    let digit = bytes[index] &- UInt8(ascii: "0")
    if digit > 9 { break }
    mantissa = mantissa &* 10 &+ UInt64(digit)
    index += 1
  }
  var digits = index - integerStart
  var exponent = 0
  if index < end && bytes[index] == UInt8(ascii: ".") {
    index += 1
    let fractionStart = index
    while index < end {
      let digit = bytes[index] &- UInt8(ascii: "0")
      if digit > 9 { break }
      mantissa = mantissa &* 10 &+ UInt64(digit)
      index += 1
    }
    digits += index - fractionStart
    exponent = fractionStart - index
  }
  guard digits > 0 && digits <= 19 else { return nil }
  if index < end && bytes[index] | 0x20 == UInt8(ascii: "e") {
    index += 1
    var exponentNegative = false
    if index < end && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
      exponentNegative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    let exponentStart = index
    var value = 0
    while index < end {
      let digit = bytes[index] &- UInt8(ascii: "0")
      if digit > 9 { break }
      if value < 100_000 { value = value * 10 + Int(digit) }
      index += 1
    }
    guard index > exponentStart else { return nil }
    exponent += exponentNegative ? -value : value
  }
  if mantissa < 1_000_000_000_000_000 && exponent >= -22 && exponent <= 22 {
    // At most 15 significant digits: Clinger's fast path, as in parseNumber.
    var result = Double(mantissa)
    if exponent < 0 {
      result /= powersOfTen[-exponent]
    } else {
      result *= powersOfTen[exponent]
    }
    return (negative ? -result : result, index)
  }
  guard exponent >= -19 && exponent <= 19 else { return nil }
  let result = exactDecimal(mantissa, exponent)
  return (negative ? -result : result, index)
}

private let integerPowersOfTen: [UInt64] = {
  var powers: [UInt64] = [1]
  for _ in 1...19 { powers.append(powers[powers.count - 1] &* 10) }
  return powers
}()

/// `mantissa × 10^exponent`, correctly rounded, for a mantissa below 2⁶⁴ and |exponent| ≤ 19,
/// with exact 128-bit integer arithmetic on hardware multiply and divide: the product (or a
/// quotient kept to at least 63 bits) is reduced to 64 bits with every dropped bit folded into
/// the last one (a sticky bit), so the single conversion to `Double` rounds correctly.
@inline(__always)
private func exactDecimal(_ mantissa: UInt64, _ exponent: Int) -> Double {
  if mantissa == 0 { return 0 }
  if exponent >= 0 {
    let (high, low) = mantissa.multipliedFullWidth(by: integerPowersOfTen[exponent])
    if high == 0 { return Double(low) }
    let shift = 64 - high.leadingZeroBitCount  // 1...64
    let top: UInt64
    let sticky: Bool
    if shift == 64 {
      top = high
      sticky = low != 0
    } else {
      top = (high << (64 - shift)) | (low >> shift)
      sticky = low & ((1 << shift) - 1) != 0
    }
    return Double(top | (sticky ? 1 : 0)) * Double(sign: .plus, exponent: shift, significand: 1)
  }
  let divisor = integerPowersOfTen[-exponent]
  let divisorBits = 64 - divisor.leadingZeroBitCount
  let mantissaBits = 64 - mantissa.leadingZeroBitCount
  // Numerator = mantissa · 2^shift < divisor · 2^64, so the quotient fits 64 bits and has at
  // least 63 of them.
  let shift = 63 + divisorBits - mantissaBits
  let high: UInt64
  let low: UInt64
  if shift >= 64 {
    high = mantissa << (shift - 64)
    low = 0
  } else {
    high = mantissa >> (64 - shift)
    low = mantissa << shift
  }
  let (quotient, remainder) = divisor.dividingFullWidth((high: high, low: low))
  let sticky: UInt64 = remainder == 0 ? 0 : 1
  return Double(quotient | sticky) * Double(sign: .plus, exponent: -shift, significand: 1)
}

private func slowParse(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> ParsedNumber {
  let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
  if let value = Double(text) { return .value(value) }
  return .invalid
}

/// Parses a decimal number of seconds (or milliseconds, with `scale` 1) into whole
/// milliseconds exactly, rounding half away from zero on the first dropped digit.
///
/// `1662859176.0` with scale 1000 gives 1_662_859_176_000 without floating-point error.
func parseDecimalMilliseconds(
  _ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, scale: Int64
) -> Int64? {
  var index = start
  var negative = false
  if index < end && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
    negative = bytes[index] == UInt8(ascii: "-")
    index += 1
  }
  var whole: Int64 = 0
  var sawDigit = false
  let digitsStart = index
  while index < end {
    let digit = bytes[index] &- UInt8(ascii: "0")
    if digit > 9 { break }
    sawDigit = true
    if index - digitsStart < 18 {
      whole = whole &* 10 &+ Int64(digit)  // 18 digits stay below Int64.max
    } else {
      let (times, overflow1) = whole.multipliedReportingOverflow(by: 10)
      let (plus, overflow2) = times.addingReportingOverflow(Int64(digit))
      if overflow1 || overflow2 { return nil }
      whole = plus
    }
    index += 1
  }
  var fraction: Int64 = 0
  var fractionScale = scale
  var roundUp = false
  if index < end && bytes[index] == UInt8(ascii: ".") {
    index += 1
    var first = true
    while index < end {
      let digit = bytes[index] &- UInt8(ascii: "0")
      if digit > 9 { break }
      sawDigit = true
      if fractionScale >= 10 {
        fractionScale /= 10
        fraction += Int64(digit) * fractionScale
      } else if first {
        roundUp = digit >= 5
        first = false
      }
      index += 1
    }
  }
  if index < end && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
    // Exponent notation: go through a double (exact enough for timestamps in this form).
    guard case .value(let value) = parseNumber(bytes, start, end) else { return nil }
    let scaled = (value * Double(scale)).rounded()
    guard scaled.isFinite, abs(scaled) < 9e18 else { return nil }
    return Int64(scaled)
  }
  guard sawDigit, index == end else { return nil }
  let (wholeScaled, overflow) = whole.multipliedReportingOverflow(by: scale)
  let (total, overflow2) = wholeScaled.addingReportingOverflow(fraction + (roundUp ? 1 : 0))
  if overflow || overflow2 { return nil }
  return negative ? -total : total
}

/// Parses a calendar date-time into milliseconds since the Unix epoch.
///
/// Accepts RFC 3339 (`2026-01-02T03:04:05.678Z`, `+01:00` offsets) and the variants traces
/// use: a space instead of `T` (`2023-11-16 18:17:03.9799600`), dots and dashes as separators
/// (`2023.04.02-00:09:00:000`, whose last group is milliseconds), date only. Without a zone the
/// time is taken as UTC.
func parseDateTime(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int64? {
  // Groups in order: year, month, day, hour, minute, second, fraction; kept in locals so a
  // row costs no allocation.
  var year: Int64 = 0
  var month: Int64 = 0
  var day: Int64 = 0
  var hour: Int64 = 0
  var minute: Int64 = 0
  var second: Int64 = 0
  var groupCount = 0
  var fractionMilliseconds: Int64 = 0
  var index = start
  var zoneOffsetMinutes: Int64 = 0
  while index < end {
    let byte = bytes[index]
    if byte &- UInt8(ascii: "0") <= 9 {
      var value: Int64 = 0
      var count = 0
      let groupStart = index
      while index < end, bytes[index] &- UInt8(ascii: "0") <= 9 {
        if count == 18 { return nil }  // no group is that long; 19 digits could overflow
        value = value * 10 + Int64(bytes[index] &- UInt8(ascii: "0"))
        count += 1
        index += 1
      }
      switch groupCount {
      case 0:
        guard count == 4 else { return nil }
        year = value
      case 1: month = value
      case 2: day = value
      case 3: hour = value
      case 4: minute = value
      case 5: second = value
      case 6:
        // A group after the seconds is a fraction of a second (`.678`, `:000`).
        var millis: Int64 = 0
        var scale: Int64 = 100
        for offset in 0..<min(count, 3) {
          millis += Int64(bytes[groupStart + offset] &- UInt8(ascii: "0")) * scale
          scale /= 10
        }
        if count > 3 && bytes[groupStart + 3] >= UInt8(ascii: "5") { millis += 1 }
        fractionMilliseconds = millis
      default:
        return nil
      }
      groupCount += 1
      continue
    }
    if byte == UInt8(ascii: "Z") || byte == UInt8(ascii: "z") {
      guard index == end - 1, groupCount >= 5 else { return nil }
      index += 1
      continue
    }
    if (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")) && groupCount >= 5 {
      // Zone offset ±hh:mm or ±hhmm.
      let sign: Int64 = byte == UInt8(ascii: "-") ? -1 : 1
      index += 1
      var zone: Int64 = 0
      var zoneDigits = 0
      while index < end {
        let digit = bytes[index] &- UInt8(ascii: "0")
        if digit <= 9 {
          if zoneDigits < 4 { zone = zone * 10 + Int64(digit) }
          zoneDigits += 1
        } else if bytes[index] != UInt8(ascii: ":") {
          return nil
        }
        index += 1
      }
      guard zoneDigits == 4 || zoneDigits == 2 else { return nil }
      let hours = zoneDigits == 4 ? zone / 100 : zone
      let minutes = zoneDigits == 4 ? zone % 100 : 0
      zoneOffsetMinutes = sign * (hours * 60 + minutes)
      continue
    }
    // Separators: - . / T t space : _ ,
    switch byte {
    case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "T"),
      UInt8(ascii: "t"), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: "_"),
      UInt8(ascii: ","):
      index += 1
    default:
      return nil
    }
  }
  guard groupCount >= 3 else { return nil }
  guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
  else { return nil }
  let days = daysFromCivil(year: year, month: month, day: day)
  let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - zoneOffsetMinutes * 60
  return seconds * 1_000 + fractionMilliseconds
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
  let y = month <= 2 ? year - 1 : year
  let era = (y >= 0 ? y : y - 399) / 400
  let yearOfEra = y - era * 400
  let monthIndex = month > 2 ? month - 3 : month + 9
  let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
  let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/// Formats milliseconds since the epoch as RFC 3339 UTC (`2026-01-02T03:04:05.678Z`; the
/// fraction is omitted when zero).
func formatRFC3339(_ milliseconds: Int64) -> String {
  var days = milliseconds / 86_400_000
  var rest = milliseconds % 86_400_000
  if rest < 0 {
    rest += 86_400_000
    days -= 1
  }
  // civil_from_days
  let z = days + 719_468
  let era = (z >= 0 ? z : z - 146_096) / 146_097
  let dayOfEra = z - era * 146_097
  let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
  let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
  let monthIndex = (5 * dayOfYear + 2) / 153
  let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
  let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
  let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }
  let hour = rest / 3_600_000
  let minute = rest / 60_000 % 60
  let second = rest / 1_000 % 60
  let millis = rest % 1_000
  var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):"
  text += pad(second, 2)
  if millis != 0 { text += "." + pad(millis, 3) }
  return text + "Z"
}

/// `withUnsafeBytes` for a typed-throwing body (the standard library's is `rethrows`, which
/// erases the error type).
func withBytes<R, E: Error>(
  _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(E) -> R
) throws(E) -> R {
  let result: Result<R, E> = bytes.withUnsafeBytes { buffer in
    do throws(E) {
      return .success(try body(buffer))
    } catch {
      return .failure(error)
    }
  }
  return try result.get()
}
