import Foundation
import Testing
import _AutoscalingTestSupport

@testable import AutoscalingTraces

private func parsed(_ text: String) -> Double? {
  let bytes = Array(text.utf8)
  return bytes.withUnsafeBytes { raw -> Double? in
    if case .value(let value) = parseNumber(raw, 0, raw.count) { return value }
    return nil
  }
}

@Suite struct NumberParsingTests {
  // Property: the byte-level parser agrees bit for bit with the standard library's correctly
  // rounded `Double(String)` on decimal text of every shape the fast paths handle (≤ 15 digits,
  // 16–19 digits with |exponent| ≤ 19 through 128-bit arithmetic) and beyond (fallback).
  @Test func agreesWithStandardLibrary() {
    var generator = SplitMix64(seed: 0xD0_0B1E)
    var mismatches: [String] = []
    for _ in 0..<20_000 {
      let digits = Int.random(in: 1...22, using: &generator)
      var mantissa = ""
      for index in 0..<digits {
        let digit = Int.random(in: (index == 0 ? 1 : 0)...9, using: &generator)
        mantissa += String(digit)
      }
      let point = Int.random(in: 0...digits, using: &generator)
      var text = String(mantissa.prefix(point)) + "." + String(mantissa.dropFirst(point))
      if text.hasPrefix(".") { text = "0" + text }
      if Bool.random(using: &generator) {
        text += "e\(Int.random(in: -30...30, using: &generator))"
      }
      if Int.random(in: 0..<4, using: &generator) == 0 { text = "-" + text }
      guard let expected = Double(text) else { continue }
      let actual = parsed(text)
      if actual?.bitPattern != expected.bitPattern { mismatches.append(text) }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  @Test func shortestRepresentationsRoundTrip() {
    var generator = SplitMix64(seed: 7)
    for _ in 0..<20_000 {
      let value = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
      #expect(parsed("\(value)")?.bitPattern == value.bitPattern, "\(value)")
    }
  }

  // Property: where the CSV fast path's scanner accepts a plain number, its value is bit for
  // bit the standard library's (and so the general parser's); and it accepts every number
  // with at most 15 significant digits and a small exponent, the form nearly all traces use.
  @Test func plainScanAgreesWithStandardLibrary() {
    var generator = SplitMix64(seed: 0x5CA7)
    var mismatches: [String] = []
    var refused: [String] = []
    for _ in 0..<20_000 {
      let digits = Int.random(in: 1...21, using: &generator)
      var text = ""
      if Int.random(in: 0..<4, using: &generator) == 0 { text += "-" }
      let point = Int.random(in: 0...(digits + 1), using: &generator)
      for index in 0..<digits {
        if index == point { text += "." }
        text += String(Int.random(in: 0...9, using: &generator))
      }
      var exponent = 0
      if Bool.random(using: &generator) {
        exponent = Int.random(in: -25...25, using: &generator)
        text += "e\(exponent)"
      }
      guard let expected = Double(text) else { continue }
      let scanned = Array(text.utf8).withUnsafeBytes { raw in
        scanPlainNumber(raw, 0, raw.count).flatMap { $0.end == raw.count ? $0.value : nil }
      }
      if let scanned {
        if scanned.bitPattern != expected.bitPattern { mismatches.append(text) }
      } else {
        let fraction = point < digits ? digits - point : 0
        let scale = exponent - fraction
        if digits <= 15 && (-22...22).contains(scale) { refused.append(text) }
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    #expect(refused.isEmpty, "\(refused.prefix(5))")
  }

  @Test func plainScanStopsAtTheFirstByteAfterTheNumber() {
    func scan(_ text: String) -> (Double, Int)? {
      Array(text.utf8).withUnsafeBytes { raw in
        scanPlainNumber(raw, 0, raw.count).map { ($0.value, $0.end) }
      }
    }
    #expect(scan("12.5;\t3").map { $0.0 == 12.5 && $0.1 == 4 } == true)
    #expect(scan("+3e2 ").map { $0.0 == 300 && $0.1 == 4 } == true)
    #expect(scan("nan") == nil)  // the general path decides
    #expect(scan("") == nil)
    #expect(scan("1e") == nil)
    #expect(scan("12345678901234567890") == nil)  // 20 digits: general path
  }

  @Test func timesThatWouldOverflowAreRejectedNotTrapped() {
    func dateTime(_ text: String) -> Int64? {
      Array(text.utf8).withUnsafeBytes { parseDateTime($0, 0, $0.count) }
    }
    func seconds(_ text: String) -> Int64? {
      Array(text.utf8).withUnsafeBytes { parseDecimalMilliseconds($0, 0, $0.count, scale: 1_000) }
    }
    #expect(dateTime("2026-9999999999999999999-01") == nil)
    #expect(dateTime("2026-01-02T03:04:05.5+01:00") == 1_767_319_445_500)  // 02:04:05.5 UTC
    #expect(seconds("9223372036854775.999") == nil)  // × 1000 + 999 passes Int64.max
    #expect(seconds("9223372036854775.806") == 9_223_372_036_854_775_806)
    #expect(seconds("99999999999999999999") == nil)
  }

  @Test func specialForms() {
    #expect(parsed("0") == 0)
    #expect(parsed("-0")?.sign == .minus)
    #expect(parsed("1e400") == .infinity)  // finite-value check happens in the reader
    #expect(parsed("nan")?.isNaN == true)
    #expect(parsed("12abc") == nil)
    #expect(parsed("1e") == nil)
    #expect(parsed(".") == nil)
    #expect(parsed("9007199254740993") == 9_007_199_254_740_992)  // ties to even
  }
}
