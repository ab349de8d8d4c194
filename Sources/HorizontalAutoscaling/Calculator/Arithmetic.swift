// Conversions that follow upstream's int32/int64 arithmetic without ever trapping.

/// `int32(math.Ceil(x))` with saturation: NaN gives 0, values beyond int32 clamp.
@inline(__always)
func ceilToReplicas(_ x: Double) -> Int {
  let c = x.rounded(.up)
  if c.isNaN { return 0 }
  if c >= 2_147_483_647 { return 2_147_483_647 }
  if c <= -2_147_483_648 { return -2_147_483_648 }
  return Int(c)
}

/// `int32(x)` (truncation toward zero) with saturation: NaN gives 0.
@inline(__always)
func truncateToReplicas(_ x: Double) -> Int {
  let t = x.rounded(.towardZero)
  if t.isNaN { return 0 }
  if t >= 2_147_483_647 { return 2_147_483_647 }
  if t <= -2_147_483_648 { return -2_147_483_648 }
  return Int(t)
}

/// `int64(math.Ceil(x))` with saturation: NaN gives 0.
@inline(__always)
func ceilToInt64(_ x: Double) -> Int64 {
  let c = x.rounded(.up)
  if c.isNaN { return 0 }
  if c >= 9_223_372_036_854_775_807.0 { return .max }
  if c <= -9_223_372_036_854_775_808.0 { return .min }
  return Int64(c)
}

/// Truncating int64 division that never traps (division by zero gives 0, `min / -1` wraps).
@inline(__always)
func divide(_ lhs: Int64, _ rhs: Int64) -> Int64 {
  if rhs == 0 { return 0 }
  return lhs.dividedReportingOverflow(by: rhs).partialValue
}

/// Clamps an int64 into int32's range (upstream's recent overflow guard on percentages).
@inline(__always)
func clampToInt32(_ value: Int64) -> Int {
  Int(Swift.min(Swift.max(value, Int64(Int32.min)), Int64(Int32.max)))
}

/// Clamps an `Int` replica count into int32's range.
@inline(__always)
func clampReplicas(_ value: Int) -> Int {
  Swift.min(Swift.max(value, Int(Int32.min)), Int(Int32.max))
}
