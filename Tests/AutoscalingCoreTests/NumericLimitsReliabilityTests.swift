import AutoscalingCore
import Testing

/// Quantities, instants and durations at and beyond the limits of their integer types: each
/// case either gives the exact value, saturates at a documented bound, or throws a typed error.
/// None may trap.
infix operator ** : MultiplicationPrecedence

/// `base` to a small non-negative power (test helper; traps on overflow, which no case reaches).
private func ** (base: Int128, exponent: Int) -> Int128 {
  (0..<exponent).reduce(1) { result, _ in result * base }
}

@Suite("Numeric limits: Core")
struct CoreNumericLimitsReliabilityTests {
  static let int64Max = Int128(Int64.max)
  static let int64Min = Int128(Int64.min)

  @Test("Int64 extremes as whole units are exact in nano-units and read back exactly")
  func int64ExtremesAsUnits() throws {
    let largest = Quantity(Int64.max)
    #expect(largest.nanoValue == Self.int64Max * 1_000_000_000)
    #expect(largest.value == Int64.max)
    #expect(largest.milliValue == Int64.max)  // 2⁶³−1 units is 1000 × that in milli: saturates
    #expect(try Quantity(parsing: largest.description) == largest)

    let smallest = Quantity(Int64.min)
    #expect(smallest.nanoValue == Self.int64Min * 1_000_000_000)
    #expect(smallest.value == Int64.min)
    #expect(smallest.milliValue == Int64.min)
    #expect(try Quantity(parsing: smallest.description) == smallest)
  }

  @Test("milli-units at the Int64 extremes are exact")
  func int64ExtremesAsMilli() throws {
    let largest = Quantity(milliValue: Int64.max)
    #expect(largest.milliValue == Int64.max)
    // 9223372036854775.807 units, rounded away from zero.
    #expect(largest.value == 9_223_372_036_854_776)
    let smallest = Quantity(milliValue: Int64.min)
    #expect(smallest.milliValue == Int64.min)
    #expect(smallest.value == -9_223_372_036_854_776)
  }

  @Test(
    "decimal text at and just beyond Int64 parses exactly; value saturates",
    arguments: [
      ("9223372036854775807", Int64.max, Int128(Int64.max)),
      ("9223372036854775808", Int64.max, Int128(Int64.max) + 1),
      ("-9223372036854775808", Int64.min, Int128(Int64.min)),
      ("-9223372036854775809", Int64.min, Int128(Int64.min) - 1),
      ("99999999999999999999", Int64.max, Int128(99_999_999_999_999_999) * 1_000 + 999),
    ])
  func int64Boundary(text: String, value: Int64, units: Int128) throws {
    let quantity = try Quantity(parsing: text)
    #expect(quantity.nanoValue == units * 1_000_000_000)
    #expect(quantity.value == value)
    #expect(try Quantity(parsing: quantity.description) == quantity)
  }

  @Test(
    "decimal amounts beyond Int128 nano-units (about 1.7 × 10^29 base units) are rejected",
    arguments: [
      "2e29", "-2e29", "170141183460469231731687303715884105728n",
      "-170141183460469231731687303715884105729n", "1e308",
      "999999999999999999999999999999999999999999999999",
      // Found by the limit tests: Int128.max's digits plus a dropped non-zero fraction
      // overflowed while rounding away from zero, and trapped.
      "170141183460469231731687303715884105727.1n", "-170141183460469231731687303715884105727.5n",
    ])
  func beyondTheInt128Range(text: String) {
    #expect(throws: QuantityError.outOfRange(text: text)) { try Quantity(parsing: text) }
  }

  @Test("an exponent beyond Int32 is a bad suffix, as upstream's ErrSuffix")
  func hugeExponent() {
    #expect(throws: QuantityError.unknownSuffix(text: "1e9999999999", suffix: "e9999999999")) {
      try Quantity(parsing: "1e9999999999")
    }
  }

  @Test(
    "the largest decimal amounts that fit are exact",
    arguments: [
      ("170141183460469231731687303715884105727n", Int128.max),
      ("-170141183460469231731687303715884105727n", -Int128.max),
      ("1e29", Int128(10) ** 38),
      ("99999999999999999999999999999", (Int128(10) ** 29 - 1) * 1_000_000_000),
      ("170141183460469231731687303715884105726.1n", Int128.max),  // rounded away from zero
    ])
  func largestThatFit(text: String, nanos: Int128) throws {
    let quantity = try Quantity(parsing: text)
    #expect(quantity.nanoValue == nanos)
    #expect(quantity.value == (nanos > 0 ? Int64.max : Int64.min))
    #expect(quantity.milliValue == (nanos > 0 ? Int64.max : Int64.min))
  }

  @Test(
    "binary amounts beyond 2^63−1 base units are capped as upstream caps them",
    arguments: [
      "8Ei", "16Ei", "1024Ei", "109999999007999999000000000000000.6Gi",
      "99999999999999999999999999999Ei",
    ])
  func binaryCap(text: String) throws {
    // Found by fuzzing (the last two): long binary amounts overflowed while being shifted.
    let quantity = try Quantity(parsing: text)
    #expect(quantity.nanoValue == Self.int64Max * 1_000_000_000)
    #expect(quantity.format == .binarySI)
  }

  @Test("arithmetic at the Int128 ends saturates instead of trapping")
  func int128Ends() {
    let top = Quantity(nanoValue: .max)
    let bottom = Quantity(nanoValue: .min)
    #expect((top + top).nanoValue == .max)
    #expect((bottom + bottom).nanoValue == .min)
    #expect((top - bottom).nanoValue == .max)
    #expect((bottom - top).nanoValue == .min)
    #expect((top * Int64.max).nanoValue == .max)
    #expect((top * Int64.min).nanoValue == .min)
    #expect((bottom * -1).nanoValue == .max)
    #expect((-bottom).nanoValue == .max)
    #expect(top.value == Int64.max && top.milliValue == Int64.max)
    #expect(bottom.value == Int64.min && bottom.milliValue == Int64.min)
    #expect(top.scaledValue(18) == 170_141_183_461)  // ⌈1.70141183460469 × 10¹¹⌉
    #expect(top.doubleValue.isFinite && bottom.doubleValue.isFinite)
    // Printing the extremes never traps (the text is beyond the parser's 10²⁹ limit).
    #expect(!top.description.isEmpty && !bottom.description.isEmpty)
  }

  @Test("zero and negative zero")
  func zeros() throws {
    #expect(try Quantity(parsing: "-0") == .zero)
    #expect(try Quantity(parsing: "0Ei") == .zero)
    #expect(try Quantity(parsing: "-0.0000000001") == Quantity(nanoValue: -1))  // away from zero
    #expect(Quantity.zero.signum == 0)
  }

  @Test("durations beyond Int64 milliseconds saturate; instants wrap as documented")
  func durationsAndInstants() {
    #expect(Duration.seconds(Int64.max).wholeMilliseconds == Int64.max)
    #expect(Duration.seconds(Int64.min).wholeMilliseconds == Int64.min)
    #expect(Duration.seconds(9_223_372_036_854_775).wholeMilliseconds == 9_223_372_036_854_775_000)
    #expect(Duration.zero.wholeMilliseconds == 0)
    #expect(Duration.milliseconds(-1).wholeMilliseconds == -1)
    #expect(Duration.nanoseconds(-999_999).wholeMilliseconds == 0)  // truncated toward zero
    let late = Instant(millisecondsSinceEpoch: Int64.max)
    #expect((late + .milliseconds(1)).millisecondsSinceEpoch == Int64.min)  // wraps, no trap
    #expect(late.milliseconds(since: Instant(millisecondsSinceEpoch: -1)) == Int64.min)
    #expect(Instant(millisecondsSinceEpoch: Int64.min).secondsSinceEpoch == Int64.min / 1_000 - 1)
    #expect(Instant.seconds(Int64.max).millisecondsSinceEpoch == Int64.max &* 1_000)
  }
}
