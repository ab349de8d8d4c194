extension Duration {
  /// The span in whole milliseconds, truncated toward zero and saturating at `Int64`'s bounds.
  public var wholeMilliseconds: Int64 {
    let (seconds, attoseconds) = components
    let (fromSeconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
    if overflow { return seconds < 0 ? .min : .max }
    let (total, overflow2) = fromSeconds.addingReportingOverflow(
      attoseconds / 1_000_000_000_000_000)
    if overflow2 { return seconds < 0 ? .min : .max }
    return total
  }

  /// The span in whole seconds, truncated toward zero.
  public var wholeSeconds: Int64 { components.seconds }

  /// The span in seconds as a floating-point number (for reports, never for decisions).
  public var secondsValue: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) * 1e-18
  }
}
