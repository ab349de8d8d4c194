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
