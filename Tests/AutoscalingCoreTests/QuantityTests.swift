import AutoscalingCore
import Testing
import _AutoscalingTestSupport

@Suite struct QuantityParsingTests {
  // Expected milli-values and canonical strings worked out from apimachinery's rules:
  // round away from zero to nano, milliValue/value round away from zero, canonical form uses
  // an exponent that is a multiple of three (decimal) or powers of 1024 (binary).
  @Test(arguments: [
    ("500m", Int64(500), Int64(1), "500m"),
    ("1", 1_000, 1, "1"),
    ("1.5", 1_500, 2, "1500m"),
    ("0.1", 100, 1, "100m"),
    (".5", 500, 1, "500m"),
    ("5.", 5_000, 5, "5"),
    ("1k", 1_000_000, 1_000, "1k"),
    ("1500k", 1_500_000_000, 1_500_000, "1500k"),
    ("1.5k", 1_500_000, 1_500, "1500"),
    ("2M", 2_000_000_000, 2_000_000, "2M"),
    ("100Mi", 104_857_600_000, 104_857_600, "100Mi"),
    ("1.5Gi", 1_610_612_736_000, 1_610_612_736, "1536Mi"),
    ("1024Mi", 1_073_741_824_000, 1_073_741_824, "1Gi"),
    ("1Ki", 1_024_000, 1_024, "1Ki"),
    ("512", 512_000, 512, "512"),
    ("0.5Ki", 512_000, 512, "512"),
    ("1e3", 1_000_000, 1_000, "1e3"),
    ("1E3", 1_000_000, 1_000, "1e3"),
    ("1.5e3", 1_500_000, 1_500, "1500"),
    ("5e-3", 5, 1, "5e-3"),
    ("1E", Int64.max, Int64(1_000_000_000_000_000_000), "1E"),
    ("-500m", -500, -1, "-500m"),
    ("+2", 2_000, 2, "2"),
    ("0", 0, 0, "0"),
    ("-0", 0, 0, "0"),
    ("100n", 1, 1, "100n"),
    ("1u", 1, 1, "1u"),
    ("0.0000000001", 1, 1, "1n"),
    ("1.0000000001", 1_001, 2, "1000000001n"),
    ("100.5m", 101, 1, "100500u"),
    ("-100.5m", -101, -1, "-100500u"),
    ("007", 7_000, 7, "7"),
    ("1000m", 1_000, 1, "1"),
    ("1200m", 1_200, 2, "1200m"),
    ("0.001", 1, 1, "1m"),
  ])
  func parses(text: String, milli: Int64, value: Int64, canonical: String) throws {
    let quantity = try Quantity(parsing: text)
    #expect(quantity.milliValue == milli)
    #expect(quantity.value == value)
    #expect(quantity.description == canonical)
  }

  // Found by fuzzing: a binary amount with ~30 digits overflowed while being shifted.
  @Test(arguments: ["109999999007999999000000000000.6Gi", "99999999999999999999999999999Ei"])
  func hugeBinaryAmountsAreCappedNotTrapped(text: String) throws {
    let quantity = try Quantity(parsing: text)
    #expect(quantity.value == Int64.max)
  }

  // Found by fuzzing: sums of near-limit quantities overflowed Int128 and trapped.
  @Test func arithmeticSaturatesAtTheEndsOfTheRange() throws {
    let huge = try Quantity(parsing: "-1112e26")
    #expect((huge + huge).nanoValue == .min)
    #expect((-huge - huge).nanoValue == .max)
    #expect((huge * 3).nanoValue == .min)
    #expect((huge * -3).nanoValue == .max)
    #expect((huge + huge).milliValue == Int64.min)
  }

  @Test func binaryIsCappedAtInt64Max() throws {
    let quantity = try Quantity(parsing: "16Ei")
    #expect(quantity.value == Int64.max)
    #expect(quantity.format == .binarySI)
  }

  @Test(arguments: [
    ("", QuantityError.empty),
    ("m", .malformed(text: "m")),
    ("-", .malformed(text: "-")),
    ("abc", .malformed(text: "abc")),
    ("1.2.3", .malformed(text: "1.2.3")),
    ("1 Gi", .malformed(text: "1 Gi")),
    ("1K", .unknownSuffix(text: "1K", suffix: "K")),
    ("1ki", .unknownSuffix(text: "1ki", suffix: "ki")),
    ("1e", .unknownSuffix(text: "1e", suffix: "e")),
    ("1Gb", .malformed(text: "1Gb")),
    ("1e40", .outOfRange(text: "1e40")),
  ])
  func rejects(text: String, error: QuantityError) {
    #expect(throws: error) { try Quantity(parsing: text) }
  }

  @Test func arithmeticIsExactAndKeepsTheLeftFormat() throws {
    let sum = try Quantity(parsing: "1Gi") + Quantity(parsing: "512Mi")
    #expect(sum.description == "1536Mi")
    #expect(sum.value == 1_610_612_736)
    let difference = try Quantity(parsing: "1") - Quantity(parsing: "300m")
    #expect(difference.milliValue == 700)
    #expect(try Quantity(parsing: "1000m") == Quantity(parsing: "1"))
    #expect(try Quantity(parsing: "999m") < Quantity(parsing: "1"))
  }

  @Test func roundTripsThroughItsCanonicalText() throws {
    var generator = SplitMix64(seed: 7)
    for _ in 0..<2_000 {
      let nanos = Int128(
        Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator))
      let format: Quantity.Format = [.decimalSI, .binarySI, .decimalExponent].randomElement(
        using: &generator)!
      let quantity = Quantity(nanoValue: nanos * 1_000, format: format)
      let reparsed = try Quantity(parsing: quantity.description)
      #expect(reparsed == quantity, "\(quantity.description)")
    }
  }
}
