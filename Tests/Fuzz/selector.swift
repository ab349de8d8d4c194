import AutoscalingCore
import HorizontalAutoscaling
import NodeAutoscaling

/// libFuzzer entry point for the two small grammars the decision modules read from text: the
/// first byte picks one. Even: the rest is a label-selector string (`scale.status.selector`),
/// classified by `SelectorState(selectorString:)`. Odd: the next 8 bytes are an instant
/// (milliseconds, little-endian, any Int64) and the rest a NodePool budget's cron schedule;
/// when it parses, `next(after:)` must be a whole minute strictly after the instant, and the
/// search from just before that hit must find it again; a budget with that schedule must answer
/// `isActive` and `allowedDisruptions` without trapping, whatever the instant and duration.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSelector(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  guard let mode = bytes.first else { return 0 }
  if mode % 2 == 0 {
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let state = SelectorState(selectorString: text)
    precondition(state == SelectorState(selectorString: text), "selector \(text) classified twice differently")
    precondition((state == .missing) == text.utf8.allSatisfy { $0 == UInt8(ascii: " ") })
    return 0
  }
  guard size >= 9 else { return 0 }
  var raw: UInt64 = 0
  for index in 0..<8 { raw |= UInt64(bytes[1 + index]) << (8 * UInt64(index)) }
  let instant = Instant(millisecondsSinceEpoch: Int64(bitPattern: raw))
  let text = String(decoding: bytes.dropFirst(9), as: UTF8.self)
  guard let schedule = try? CronSchedule(parsing: text) else { return 0 }
  if let hit = schedule.next(after: instant) {
    precondition(hit > instant, "\(text): next after \(instant) is \(hit), not later")
    precondition(hit.millisecondsSinceEpoch % 60_000 == 0, "\(text): \(hit) is not a whole minute")
    let again = schedule.next(after: Instant(millisecondsSinceEpoch: hit.millisecondsSinceEpoch - 1))
    precondition(again == hit, "\(text): searching from just before \(hit) finds \(String(describing: again))")
  }
  for duration in [Int64(0), 3_600_000, Int64.max, Int64.min] {
    let budget = DisruptionBudget(nodes: "10%", schedule: text, durationMilliseconds: duration)
    _ = try? budget.isActive(at: instant)
    _ = try? budget.allowedDisruptions(numNodes: 7, now: instant)
  }
  return 0
}
