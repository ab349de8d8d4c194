import AutoscalingReplay
import HorizontalAutoscaling

/// The current and the chosen HPA replayed over the whole window, for the tuning report's
/// chart of ready replicas against the pods the demand needs.
///
/// Each is one replay from the window's start (the scores replay the tuning and held-out parts
/// separately, each from the initial state), bucketed like `autoscale replay --report`.
struct TuneTimeline {
  /// Bucket start times, milliseconds since the epoch.
  var times: [Int64]
  /// Pods the demand needs in each bucket: mean demand / capacity per pod.
  var podsNeeded: [Double]
  /// The current HPA's mean ready replicas per bucket.
  var current: [Double]
  /// The chosen configuration's mean ready replicas per bucket.
  var chosen: [Double]
  /// Whether the chosen configuration left demand unserved in the bucket.
  var chosenShort: [Bool]
  /// Steps per bucket, and the step, milliseconds.
  var stepsPerBucket: Int
  var stepMilliseconds: Int64
  /// Where the held-out part starts, milliseconds, when there is one.
  var holdOutStartMilliseconds: Int64?

  /// Replays `current` and `chosen` with the same inputs.
  static func replayed(
    current: HorizontalPodAutoscalerSpec, chosen: HorizontalPodAutoscalerSpec,
    inputs: ReplayInputs, holdOutStartMilliseconds: Int64?
  ) throws(CommandFailure) -> TuneTimeline {
    func buckets(_ spec: HorizontalPodAutoscalerSpec) throws(CommandFailure) -> TimelineBuckets {
      let replay = try inputs.replay(spec)
      var buckets = TimelineBuckets(totalSteps: replay.stepCount)
      _ = replay.run { buckets.add($0) }
      buckets.finish()
      return buckets
    }
    let before = try buckets(current).buckets
    let after = try buckets(chosen)
    let capacity = inputs.workload.capacityPerPod
    return TuneTimeline(
      times: after.buckets.map(\.startMilliseconds),
      podsNeeded: after.buckets.map { $0.demand / capacity },
      current: before.map(\.ready), chosen: after.buckets.map(\.ready),
      chosenShort: after.buckets.map { $0.unservedMax > 0 }, stepsPerBucket: after.stepsPerBucket,
      stepMilliseconds: inputs.timing.stepMilliseconds,
      holdOutStartMilliseconds: holdOutStartMilliseconds)
  }

  /// The chart's section of the report: heading, legend, SVG and a caption.
  func html() -> String {
    var html = "<h2>Current vs chosen over the trace</h2>\n"
    html += ReportRenderer.legend([
      ("#2f6fdf", "pods the demand needs"), ("#8a93a6", "current HPA: ready replicas"),
      ("#e38a1c", "chosen: ready replicas"), ("#e5484d", "chosen short of the demand (shaded)"),
    ])
    html += ReportRenderer.chart(
      times: times,
      lines: [
        ReportRenderer.ChartLine(values: podsNeeded, color: "#2f6fdf"),
        ReportRenderer.ChartLine(values: current, color: "#8a93a6", step: true),
        ReportRenderer.ChartLine(values: chosen, color: "#e38a1c", step: true),
      ],
      bands: chosenShort, yLabel: "pods")
    html += "<p class=\"sub\">Each configuration replayed once over the whole window (the "
    html += "scores replay the tuning and held-out parts separately). Each point is the mean "
    html += "over \(stepsPerBucket) step(s) of \(stepMilliseconds / 1000) s"
    if let start = holdOutStartMilliseconds {
      html += "; the held-out part starts at \(ReplayCommand.isoTime(start))"
    }
    return html + ". Times are UTC.</p>\n"
  }
}
