extension Quantity {
  /// Parses a quantity as apimachinery's `ParseQuantity` does.
  ///
  /// Accepts an optional sign, digits with an optional fraction, and one suffix: decimal SI
  /// (`n`, `u`, `m`, `k`, `M`, `G`, `T`, `P`, `E`), binary SI (`Ki` … `Ei`) or an exponent
  /// (`e3`, `E-2`). The amount is rounded away from zero to a whole nano-unit; a binary amount
  /// is capped at 2⁶³−1 base units, as upstream caps it; a binary amount below one unit is
  /// printed in decimal SI, as upstream does.
  ///
  /// Deliberate deviations, both refusing what upstream silently reads as zero or wraps:
  /// text with no digit at all (`m`, `-`, `.`) is rejected, and decimal amounts beyond the
  /// range of `Int128` nano-units (about ±1.7 × 10²⁹ base units) are rejected with
  /// ``QuantityError/outOfRange(text:)``.
  ///
  /// - Parameter text: The quantity as written, e.g. `500m`, `1.5Gi`, `2e3`.
  /// - Throws: ``QuantityError`` naming what was wrong.
  public init(parsing text: some StringProtocol) throws(QuantityError) {
    let string = String(text)
    let bytes = Array(string.utf8)
    guard !bytes.isEmpty else { throw .empty }
    var position = 0
    var isNegative = false
    if bytes[0] == UInt8(ascii: "-") {
      isNegative = true
      position = 1
    } else if bytes[0] == UInt8(ascii: "+") {
      position = 1
    }
    let integerStart = position
    while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
    let integerDigits = bytes[integerStart..<position]
    var fractionDigits = bytes[position..<position]
    if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
      position += 1
      let fractionStart = position
      while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
      fractionDigits = bytes[fractionStart..<position]
    }
    guard !integerDigits.isEmpty || !fractionDigits.isEmpty else {
      throw .malformed(text: string)
    }
    let suffixBytes = bytes[position...]
    guard Self.isWellFormedSuffix(suffixBytes) else { throw .malformed(text: string) }
    let suffix = String(decoding: suffixBytes, as: UTF8.self)
    guard let (base, exponent, format) = Self.interpret(suffix: suffix) else {
      throw .unknownSuffix(text: string, suffix: suffix)
    }

    let digits = Array(integerDigits) + Array(fractionDigits)
    var magnitude: Int128
    var finalFormat = format
    if base == 10 {
      // nanos = D × 10^(exponent − fractionDigits + 9), rounded away from zero.
      let shift = exponent - fractionDigits.count + 9
      guard let nanos = Self.scaleDecimal(digits: digits, byPowerOfTen: shift) else {
        throw .outOfRange(text: string)
      }
      magnitude = nanos
    } else {
      // nanos = D × 2^exponent × 10^(9 − fractionDigits), rounded away from zero; then capped.
      let cap = Int128(Int64.max) * Self.nanosPerUnit
      if let scaled = Self.scaleDecimal(digits: digits, byPowerOfTen: 9 - fractionDigits.count),
        let shifted = Self.shiftLeft(scaled, by: exponent, ifAtMost: cap)
      {
        magnitude = shifted
      } else if fractionDigits.count > 9,
        let whole = Self.binaryWithLongFraction(
          digits: digits, fractionCount: fractionDigits.count, exponent: exponent)
      {
        magnitude = min(whole, cap)
      } else {
        // Larger than the cap (or too many digits to hold): upstream caps at 2^63 − 1.
        magnitude = cap
      }
      if magnitude > cap { magnitude = cap }
      if magnitude > 0 && magnitude < Self.nanosPerUnit { finalFormat = .decimalSI }
    }
    self.init(nanoValue: isNegative ? -magnitude : magnitude, format: finalFormat)
  }

  static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

  /// Upstream's suffix shape: letters from `eEinumkKMGTP`, then an optional sign, then digits.
  static func isWellFormedSuffix(_ bytes: ArraySlice<UInt8>) -> Bool {
    let letters = Array("eEinumkKMGTP".utf8)
    var index = bytes.startIndex
    while index < bytes.endIndex, letters.contains(bytes[index]) { index += 1 }
    if index < bytes.endIndex,
      bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
    {
      index += 1
    }
    while index < bytes.endIndex, isDigit(bytes[index]) { index += 1 }
    return index == bytes.endIndex
  }

  /// Maps a suffix to (base, exponent, format) as apimachinery's suffixer does.
  static func interpret(suffix: String) -> (base: Int, exponent: Int, format: Format)? {
    switch suffix {
    case "": return (10, 0, .decimalSI)
    case "n": return (10, -9, .decimalSI)
    case "u": return (10, -6, .decimalSI)
    case "m": return (10, -3, .decimalSI)
    case "k": return (10, 3, .decimalSI)
    case "M": return (10, 6, .decimalSI)
    case "G": return (10, 9, .decimalSI)
    case "T": return (10, 12, .decimalSI)
    case "P": return (10, 15, .decimalSI)
    case "E": return (10, 18, .decimalSI)
    case "Ki": return (2, 10, .binarySI)
    case "Mi": return (2, 20, .binarySI)
    case "Gi": return (2, 30, .binarySI)
    case "Ti": return (2, 40, .binarySI)
    case "Pi": return (2, 50, .binarySI)
    case "Ei": return (2, 60, .binarySI)
    default:
      guard suffix.count > 1, let first = suffix.first, first == "e" || first == "E",
        let exponent = Int32(suffix.dropFirst())
      else { return nil }
      return (10, Int(exponent), .decimalExponent)
    }
  }

  /// Returns `digits × 10^shift` rounded away from zero to an integer, or `nil` on overflow.
  static func scaleDecimal(digits: [UInt8], byPowerOfTen shift: Int) -> Int128? {
    var kept = digits[...]
    var roundUp = false
    if shift < 0 {
      let drop = -shift
      if drop >= kept.count {
        roundUp = kept.contains { $0 != UInt8(ascii: "0") }
        kept = kept.prefix(0)
      } else {
        roundUp = kept.suffix(drop).contains { $0 != UInt8(ascii: "0") }
        kept = kept.dropLast(drop)
      }
    }
    var value: Int128 = 0
    for digit in kept {
      let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times10.addingReportingOverflow(Int128(digit - 48))
      if overflow1 || overflow2 { return nil }
      value = sum
    }
    if roundUp {
      // Found by fuzzing-style limit tests: Int128.max's digits plus a dropped fraction
      // (`170141183460469231731687303715884105727.1n`) overflowed here and trapped.
      let (next, overflow) = value.addingReportingOverflow(1)
      if overflow { return nil }
      value = next
    }
    if shift > 0 && value != 0 {
      for _ in 0..<shift {
        let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
        if overflow { return nil }
        value = times10
      }
    }
    return value
  }

  /// Returns `value × 2^bits` when it stays at or below `limit`, else `nil`.
  static func shiftLeft(_ value: Int128, by bits: Int, ifAtMost limit: Int128) -> Int128? {
    guard value <= limit else { return nil }
    var result = value
    for _ in 0..<bits {
      let (doubled, overflow) = result.multipliedReportingOverflow(by: 2)
      if overflow || doubled > limit { return nil }
      result = doubled
    }
    return result
  }

  /// Binary amount whose fraction has more than nine digits: `D × 2^e / 10^(f − 9)`, rounded up.
  static func binaryWithLongFraction(digits: [UInt8], fractionCount: Int, exponent: Int) -> Int128?
  {
    guard let whole = scaleDecimal(digits: digits, byPowerOfTen: 0) else { return nil }
    var numerator = whole
    for _ in 0..<exponent {
      let (doubled, overflow) = numerator.multipliedReportingOverflow(by: 2)
      if overflow { return nil }
      numerator = doubled
    }
    var divisor: Int128 = 1
    for _ in 0..<(fractionCount - 9) {
      let (times10, overflow) = divisor.multipliedReportingOverflow(by: 10)
      if overflow { return numerator == 0 ? 0 : 1 }
      divisor = times10
    }
    let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: divisor)
    return remainder == 0 ? quotient : quotient + 1
  }
}
