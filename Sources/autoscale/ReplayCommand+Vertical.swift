import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import Foundation
import HorizontalAutoscaling
import VerticalAutoscaling

/// `autoscale replay --vpa FILE`: the HPA and a VPA on the same workload, replayed together
/// (``JointReplay``), side by side with the same HPA alone (the VPA in Off mode), so the
/// feedback loop of autoscaler#6060 shows in the figures.
extension ReplayCommand {
  /// The flags `replay` gains for the joint replay.
  static let verticalOptions = [
    OptionSpec(
      name: "vpa", valueName: "FILE",
      help: "VerticalPodAutoscaler of the same workload: replay HPA and VPA together and "
        + "print both beside the HPA alone (autoscaler#6060)"),
    OptionSpec(
      name: "epoch", valueName: "DURATION",
      help: "with --vpa: how often the VPA's requests are rolled out to the pod template "
        + "(a multiple of --step)",
      defaultValue: "1h"),
  ]

  /// One epoch of the joint replay (JSON: `epochs`).
  struct JointEpochRow: Codable {
    var start: String
    var startMilliseconds: Int64
    var cpuRequestMillicores: Int64
    var memoryRequestBytes: Int64
    var targetCpuMillicores: Int64?
    var replicas: Int
    var replicasWithoutVPA: Int
    var requestsChanged: Bool
  }

  /// The `--json` output of `replay --vpa`.
  struct JointOutput: Codable {
    var hpa: String
    var vpa: String
    var updateMode: String
    /// The same HPA with the VPA in Off mode (requests fixed at the workload's).
    var hpaAlone: JointScorecard
    /// The HPA and the VPA together.
    var hpaWithVPA: JointScorecard
    /// The HPA metrics that divide by a request the VPA sets (empty: no conflict).
    var conflicts: [String]
    var epochs: [JointEpochRow]
  }

  /// Runs the joint replay and prints (or writes) its results.
  ///
  /// - Parameters:
  ///   - arguments: The command line (`--vpa`, `--epoch`, `--json`, `--report`).
  ///   - inputs: The HPA replay's inputs.
  ///   - horizontal: The validated HPA replay.
  /// - Throws: `UsageError` for bad flags, `CommandFailure` for a VPA that does not fit the
  ///   workload or a replay that fails.
  static func runJoint(_ arguments: ParsedArguments, inputs: ReplayInputs, horizontal: Replay)
    throws
  {
    guard arguments.value("timeline") == nil else {
      throw UsageError(
        message: "--timeline is not available with --vpa (the joint replay runs in epochs); "
          + "use --report or --json for the per-epoch figures")
    }
    guard arguments.all("nodepool").isEmpty else {
      throw UsageError(
        message: "--nodepool is not available with --vpa yet (the joint HPA + VPA replay does "
          + "not drive the node replay); run them as two replays")
    }
    let vpaPath = try arguments.required("vpa")
    let manifest = try RecommendCommand.loadVPA(vpaPath)
    try checkTarget(manifest, vpaPath: vpaPath, inputs: inputs)
    let vpa = try RecommendCommand.verticalAutoscaler(manifest)
    let epoch = try arguments.milliseconds("epoch", default: 3_600_000)
    var off = vpa
    off.updatePolicy.updateMode = .off
    let joint: JointReplay
    let alone: JointReplay
    do {
      joint = try JointReplay(horizontal: horizontal, vpa: vpa, epochMilliseconds: epoch)
      alone = try JointReplay(horizontal: horizontal, vpa: off, epochMilliseconds: epoch)
    } catch {
      throw CommandFailure(error.description)
    }
    var epochs: [JointEpoch] = []
    var baseline: [JointEpoch] = []
    let together: JointScorecard
    let single: JointScorecard
    do {
      together = try joint.run { epochs.append($0) }
      single = try alone.run { baseline.append($0) }
    } catch {
      throw CommandFailure("joint HPA + VPA replay failed: \(error.description)")
    }
    let conflicts = Self.conflicts(hpa: inputs.autoscaler, vpa: vpa, manifest: manifest)
    let rows = zip(epochs, baseline).map { with, without in
      JointEpochRow(
        start: isoTime(with.startMilliseconds), startMilliseconds: with.startMilliseconds,
        cpuRequestMillicores: with.cpuRequestMillicores,
        memoryRequestBytes: with.memoryRequestBytes,
        targetCpuMillicores: with.targetCpuMillicores, replicas: with.finalReplicas,
        replicasWithoutVPA: without.finalReplicas, requestsChanged: with.requestsChanged)
    }
    let output = JointOutput(
      hpa: inputs.hpaManifest.name, vpa: manifest.name,
      updateMode: vpa.updatePolicy.effectiveUpdateMode.rawValue, hpaAlone: single,
      hpaWithVPA: together, conflicts: conflicts, epochs: rows)
    if let reportPath = arguments.value("report") {
      try AtomicFile.write(
        jointReport(output, inputs: inputs, vpaPath: vpaPath, epochMilliseconds: epoch),
        to: reportPath)
    }
    if arguments.flag("json") {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(output), as: UTF8.self))
    } else {
      print(jointTable(output))
    }
  }

  /// Rejects a VPA that is not about the replayed workload: another target, or a container
  /// policy for a container the workload does not have.
  static func checkTarget(
    _ manifest: VerticalPodAutoscalerManifest, vpaPath: String, inputs: ReplayInputs
  ) throws(CommandFailure) {
    let workload = inputs.workloadManifest
    let target = manifest.targetRef
    guard target.name == workload.name, target.kind == workload.kind.rawValue else {
      throw CommandFailure(
        "VPA \(manifest.name) (\(vpaPath)) targets \(target.kind) \(target.name), but the "
          + "replayed workload is \(workload.kind.rawValue) \(workload.name) (\(inputs.workloadPath)); "
          + "spec.targetRef must name the workload the HPA scales")
    }
    let names = workload.template.containers.map(\.name)
    for policy in manifest.containerPolicies
    where policy.containerName != "*" && !names.contains(policy.containerName) {
      throw CommandFailure(
        "VPA \(manifest.name) (\(vpaPath)) has a container policy for \"\(policy.containerName)\", "
          + "but \(workload.kind.rawValue) \(workload.name) has no such container; its "
          + "containers are: \(names.joined(separator: ", "))")
    }
  }

  /// The HPA's utilization metrics on a resource whose request the VPA controls.
  static func conflicts(
    hpa: HorizontalPodAutoscalerSpec, vpa: VerticalPodAutoscaler,
    manifest: VerticalPodAutoscalerManifest
  ) -> [String] {
    guard vpa.updatePolicy.effectiveUpdateMode != .off else { return [] }
    func controls(_ resource: ResourceName, container: String?) -> Bool {
      let policy =
        manifest.containerPolicies.first { $0.containerName == container }
        ?? manifest.containerPolicies.first { $0.containerName == "*" }
      guard let policy else { return true }
      if policy.mode == .off { return false }
      return policy.controlledResources.contains(resource)
    }
    var found: [String] = []
    for metric in hpa.metrics {
      if let source = metric.resource, source.target.averageUtilization != nil,
        controls(source.name, container: nil)
      {
        found.append("\(source.name.rawValue) utilization")
      }
      if let source = metric.containerResource, source.target.averageUtilization != nil,
        controls(source.name, container: source.container)
      {
        found.append("\(source.name.rawValue) utilization of \(source.container)")
      }
    }
    return found
  }

  // MARK: Output

  static func jointRows(_ output: JointOutput) -> [(String, String, String)] {
    let (a, b) = (output.hpaAlone, output.hpaWithVPA)
    func number(_ value: Double, _ digits: Int = 1) -> String {
      NumberText.format(value, digits: digits)
    }
    func percent(_ value: Double) -> String { NumberText.format(value, digits: 2) + " %" }
    func mebibytes(_ value: Double) -> String { RecommendCommand.mebibytes(value) }
    return [
      ("mean replicas", number(a.meanReplicas, 2), number(b.meanReplicas, 2)),
      ("max replicas", "\(a.maxReplicas)", "\(b.maxReplicas)"),
      ("replica-hours", number(a.replicaSeconds / 3600), number(b.replicaSeconds / 3600)),
      (
        "under-provisioned time", percent(a.underProvisionedTimeShare * 100),
        percent(b.underProvisionedTimeShare * 100)
      ),
      ("unserved demand", number(a.unservedDemand, 0), number(b.unservedDemand, 0)),
      ("scaling actions", "\(a.scalingActions)", "\(b.scalingActions)"),
      (
        "CPU request, mean", number(a.meanRequestCpuMillicores, 0) + "m",
        number(b.meanRequestCpuMillicores, 0) + "m"
      ),
      (
        "CPU request, at the end", number(a.finalRequestCpuMillicores, 0) + "m",
        number(b.finalRequestCpuMillicores, 0) + "m"
      ),
      (
        "memory request, mean", mebibytes(a.meanRequestMemoryBytes),
        mebibytes(b.meanRequestMemoryBytes)
      ),
      (
        "reserved CPU core-hours", number(a.requestedCpuCoreSeconds / 3600),
        number(b.requestedCpuCoreSeconds / 3600)
      ),
      ("CPU slack", percent(a.slackPercent), percent(b.slackPercent)),
      ("insufficient CPU", percent(a.insufficientCpuPercent), percent(b.insufficientCpuPercent)),
      ("VPA request rollouts", "\(a.requestChanges)", "\(b.requestChanges)"),
    ]
  }

  static func jointTable(_ output: JointOutput) -> String {
    let rows = jointRows(output)
    let header = ("", "HPA alone", "HPA + VPA (\(output.updateMode))")
    let widths = [
      max(header.0.count, rows.map(\.0.count).max() ?? 0),
      max(header.1.count, rows.map(\.1.count).max() ?? 0),
      max(header.2.count, rows.map(\.2.count).max() ?? 0),
    ]
    func line(_ row: (String, String, String)) -> String {
      row.0.padding(toLength: widths[0], withPad: " ", startingAt: 0) + "  "
        + String(repeating: " ", count: widths[1] - row.1.count) + row.1 + "  "
        + String(repeating: " ", count: widths[2] - row.2.count) + row.2
    }
    var text = [line(header)] + rows.map(line)
    text.append("")
    text += verdict(output)
    return text.joined(separator: "\n")
  }

  /// What the figures say about the HPA and the VPA acting on the same resource.
  static func verdict(_ output: JointOutput) -> [String] {
    let (a, b) = (output.hpaAlone, output.hpaWithVPA)
    guard !output.conflicts.isEmpty else {
      return [
        "No conflict: HPA \(output.hpa) does not scale on the utilization of a resource whose "
          + "request VPA \(output.vpa) sets."
      ]
    }
    var lines = [
      "warning: HPA \(output.hpa) scales on \(output.conflicts.joined(separator: " and ")), "
        + "whose denominator (the request) VPA \(output.vpa) changes (autoscaler#6060)."
    ]
    if b.requestChanges > 0 {
      lines.append(
        "The VPA rolled out new requests \(b.requestChanges) times: the CPU request went "
          + "\(NumberText.format(a.finalRequestCpuMillicores, digits: 0))m → "
          + "\(NumberText.format(b.finalRequestCpuMillicores, digits: 0))m, mean replicas "
          + "\(NumberText.format(a.meanReplicas, digits: 2)) → "
          + "\(NumberText.format(b.meanReplicas, digits: 2)), CPU slack "
          + "\(NumberText.format(a.slackPercent, digits: 1)) % → "
          + "\(NumberText.format(b.slackPercent, digits: 1)) %.")
      lines.append(
        "Each lower request raises the utilization the HPA sees, so it adds replicas, which "
          + "lowers per-pod usage and the next recommendation. Scale the HPA on a custom or "
          + "external metric (requests per second), or keep the VPA off CPU and memory for "
          + "this workload.")
    } else {
      lines.append(
        "The VPA did not change the requests in this window, so the loop did not start.")
    }
    return lines
  }

  static func jointReport(
    _ output: JointOutput, inputs: ReplayInputs, vpaPath: String, epochMilliseconds: Int64
  ) -> String {
    let escape = ReportRenderer.escape
    let times = output.epochs.map(\.startMilliseconds)
    let title =
      "autoscale replay — \(output.hpa) + \(output.vpa) on "
      + URL(fileURLWithPath: inputs.tracePath).lastPathComponent
    var html = ReportRenderer.pageStart(
      title: title, style: "p{color:#3a4252}")
    html += """
      <p>The HPA and the VPA replayed together (requests rolled out every \(epochMilliseconds / 60_000) min), beside the same HPA with the VPA off.</p>
      <h2>Scorecards</h2>
      <table><tr><th></th><th>HPA alone</th><th>HPA + VPA (\(escape(output.updateMode)))</th></tr>

      """
    for (label, alone, together) in jointRows(output) {
      html += "<tr><th>\(escape(label))</th><td class=\"num\">\(escape(alone))</td>"
      html += "<td class=\"num\">\(escape(together))</td></tr>\n"
    }
    html += "</table>\n"
    for line in verdict(output) { html += "<p>\(escape(line))</p>\n" }
    func legend(_ entries: [(String, String)]) -> String {
      "<div class=\"legend\">"
        + entries.map { "<span><i class=\"sw\" style=\"background:\($1)\"></i>\(escape($0))</span>" }
        .joined() + "</div>\n"
    }
    let request = output.epochs.map { Double($0.cpuRequestMillicores) }
    let target = output.epochs.map { $0.targetCpuMillicores.map(Double.init) ?? .nan }
    let original = output.epochs.map { _ in output.hpaAlone.meanRequestCpuMillicores }
    html += "<h2>CPU request per pod: in force vs recommended (millicores)</h2>\n"
    html += ReportRenderer.chart(
      times: times,
      lines: [
        .init(values: original, color: "#8b95a7", step: true, dashed: true),
        .init(values: request, color: "#2f6fde", step: true),
        .init(values: target, color: "#1f9d55"),
      ], bands: output.epochs.map(\.requestsChanged), yLabel: "millicores")
    html += legend([
      ("workload's request (HPA alone)", "#8b95a7"), ("request in force with the VPA", "#2f6fde"),
      ("VPA target at the epoch's end", "#1f9d55"), ("rollout", "#e5484d"),
    ])
    html += "<h2>Replicas at the end of each epoch</h2>\n"
    html += ReportRenderer.chart(
      times: times,
      lines: [
        .init(values: output.epochs.map { Double($0.replicasWithoutVPA) }, color: "#8b95a7"),
        .init(values: output.epochs.map { Double($0.replicas) }, color: "#2f6fde"),
      ], bands: [], yLabel: "replicas", integerAxis: true)
    html += legend([("HPA alone", "#8b95a7"), ("HPA + VPA", "#2f6fde")])
    html += "<h2>Inputs</h2>\n<table>\n"
    for (key, value) in [
      ("HPA", "\(inputs.hpaPath) (\(output.hpa))"), ("VPA", "\(vpaPath) (\(output.vpa))"),
      ("Workload", "\(inputs.workloadPath) (\(inputs.workloadManifest.name))"),
      ("Trace", "\(inputs.tracePath), column \(inputs.demandName)"),
    ] {
      html += "<tr><th>\(escape(key))</th><td>\(escape(value))</td></tr>\n"
    }
    return html + "</table>\n</body></html>\n"
  }
}
