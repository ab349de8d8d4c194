import AutoscalingCore
import AutoscalingReplay
import AutoscalingTraces
import AutoscalingTuning
import Foundation
import HorizontalAutoscaling

/// `autoscale tune`: searches the HPA's `behavior` (and, if the space says so, its targets and
/// bounds) on a trace, prints the Pareto front and the chosen configuration against the
/// current one, and writes the tuned HPA, the result JSON and an HTML report.
enum TuneCommand {
  static let spec = CommandSpec(
    name: "tune",
    summary: "Tune an HPA's behavior on a trace: Pareto front, chosen configuration, manifest.",
    options: ReplayInputs.optionSpecs + [
      OptionSpec(
        name: "seed", valueName: "N",
        help: "seed of the search and of the replay's imbalance and noise", defaultValue: "0"),
      OptionSpec(
        name: "space", valueName: "FILE",
        help: "space file (JSON or YAML): dimensions, exclude, constraints, base",
        defaultValue: "the HPA behavior space"),
      OptionSpec(
        name: "max-under-provisioned", valueName: "P",
        help: "SLO bound on under-provisioned time, e.g. 0.5% or 0.005; the cheapest "
          + "configuration meeting it is chosen",
        defaultValue: "the current HPA's own share"),
      OptionSpec(
        name: "max-scaling-actions", valueName: "N|Kx",
        help: "stability bound: the chosen configuration changes the replica count at most N "
          + "times on the tuning part, or at most K times as often as the current HPA there "
          + "(2x; 1x: no more often than today); with --windows, per window as --aggregate "
          + "combines them",
        defaultValue: "none"),
      OptionSpec(
        name: "budget", valueName: "N", help: "most candidates evaluated", defaultValue: "200"),
      OptionSpec(
        name: "strategy", valueName: "NAME",
        help: "grid, random, latin-hypercube, refine or halving",
        defaultValue: "refine; latin-hypercube with --shard"),
      TuneFlags.initialSamplesOption(),
      OptionSpec(
        name: "hold-out", valueName: "F",
        help: "share of the window held out for validation (tune on the rest), e.g. 25% or 0; "
          + "the hold-out check then says whether the chosen configuration still beats the "
          + "current HPA there",
        defaultValue: "25%"),
      OptionSpec(
        name: "windows", valueName: "K",
        help: "cut the window into K parts and tune on all of them (see --aggregate)",
        defaultValue: "1"),
      OptionSpec(
        name: "robust-windows", valueName: "K",
        help: "robust constraint: cut the tuning part into K windows and keep only "
          + "configurations within the bound (default: the current HPA's share) on every one",
        defaultValue: "1 (off)"),
      OptionSpec(
        name: "robust-margin", valueName: "P",
        help: "with --robust-windows, how far below the bound each window must stay, e.g. "
          + "0.01% or 0.0001", defaultValue: "0"),
      OptionSpec(
        name: "aggregate", valueName: "HOW",
        help: "how the windows' scores combine: worst or mean", defaultValue: "worst"),
      OptionSpec(
        name: "shard", valueName: "I/N",
        help: "evaluate only slice I of N (0-based, e.g. $JOB_COMPLETION_INDEX/8); needs --out"),
      OptionSpec(
        name: "out", valueName: "FILE.json",
        help: "write the result as JSON (the file autoscale merge reads)"),
      OptionSpec(
        name: "report", valueName: "FILE.html",
        help: "write a self-contained HTML report with the front as a scatter chart"),
      OptionSpec(
        name: "manifest-out", valueName: "FILE.yaml",
        help: "write the tuned HPA (ready for kubectl apply) instead of printing it"),
      OptionSpec(
        name: "progress", valueName: "HOW",
        help: "progress with ETA on stderr: auto (one line redrawn on a terminal, nothing "
          + "otherwise), lines (a line at every 10 % of each phase, for logs such as a "
          + "Kubernetes Job's) or none",
        defaultValue: "auto"),
    ],
    epilogue: """
      The model flags are those of `autoscale replay`. Scores: cost = replica-hours, SLO =
      under-provisioned time share and unserved demand, stability = scaling actions; the front
      holds the configurations no other beats on all four. With --shard, each shard writes its
      evaluations to --out; `autoscale merge` combines them into the unsharded result.
      Exit status: 0 ok, 1 failed, 2 bad usage.
      """)

  /// The search settings read from flags, checked before any file is read.
  struct Settings {
    var budget: Int
    var strategy: Strategy
    var shard: Shard
    var maxUnderProvisioned: Double?
    var maxScalingActions: ScalingActionsBound?
    var holdOut: Double
    var windows: Int
    var aggregation: ScenarioAggregation
    var robustness: WindowRobustness?
    var progress: TuneProgress.Style
  }

  static func settings(_ arguments: ParsedArguments) throws(UsageError) -> Settings {
    let budget = try arguments.int("budget", default: 200)
    guard budget >= 1 else {
      throw UsageError(message: "--budget: " + TuningError.invalidBudget(budget).description)
    }
    var shard = Shard.whole
    if let text = arguments.value("shard") {
      do { shard = try Shard(parsing: text) } catch {
        throw UsageError(message: "--shard: \(error.description)")
      }
      guard arguments.value("out") != nil else {
        throw UsageError(
          message: "--shard needs --out FILE.json: each shard's evaluations go to a file that "
            + "autoscale merge combines")
      }
      guard arguments.value("manifest-out") == nil else {
        throw UsageError(
          message: "--manifest-out is written by autoscale merge once every shard is done, "
            + "not by one shard")
      }
    }
    let sharded = arguments.value("shard") != nil
    let strategy = try TuneFlags.strategy(
      arguments, defaultName: sharded ? "latin-hypercube" : "refine", budget: budget)
    if sharded && strategy.isAdaptive {
      throw UsageError(
        message: TuningError.strategyNotShardable(strategy: strategy.name).description)
    }
    let bound = try arguments.value("max-under-provisioned").map { text throws(UsageError) in
      try TuneFlags.fraction(text, flag: "max-under-provisioned")
    }
    let maxScalingActions = try arguments.value("max-scaling-actions").map {
      text throws(UsageError) in try TuneFlags.scalingActionsBound(text)
    }
    let holdOut = try TuneFlags.fraction(
      arguments.value("hold-out") ?? "0.25", flag: "hold-out", allowOne: false)
    let windows = try arguments.int("windows", default: 1)
    guard windows >= 1 else {
      throw UsageError(message: "--windows expects a whole number ≥ 1, got \(windows)")
    }
    let how = arguments.value("aggregate") ?? "worst"
    guard let aggregation = ScenarioAggregation(rawValue: how) else {
      throw UsageError(message: "--aggregate expects worst or mean, got \"\(how)\"")
    }
    let robustWindows = try arguments.int("robust-windows", default: 1)
    guard robustWindows >= 1 else {
      throw UsageError(message: "--robust-windows expects a whole number ≥ 1, got \(robustWindows)")
    }
    let margin = try TuneFlags.fraction(
      arguments.value("robust-margin") ?? "0", flag: "robust-margin")
    if arguments.value("robust-margin") != nil && robustWindows < 2 {
      throw UsageError(message: "--robust-margin needs --robust-windows K with K ≥ 2")
    }
    let progress: TuneProgress.Style
    switch arguments.value("progress") ?? "auto" {
    case "auto": progress = Console.stderrIsTerminal ? .redrawn : .none
    case "lines": progress = .lines
    case "none": progress = .none
    case let other:
      throw UsageError(message: "--progress expects auto, lines or none, got \"\(other)\"")
    }
    return Settings(
      budget: budget, strategy: strategy, shard: shard, maxUnderProvisioned: bound,
      maxScalingActions: maxScalingActions, holdOut: holdOut, windows: windows,
      aggregation: aggregation,
      robustness: robustWindows >= 2
        ? WindowRobustness(windows: robustWindows, margin: margin) : nil,
      progress: progress)
  }

  static func run(_ arguments: ParsedArguments) throws {
    let settings = try settings(arguments)
    let inputs = try ReplayInputs(arguments)
    let space = try arguments.value("space").map { path throws(CommandFailure) in
      let description = try SpaceFile.load(path)
      do throws(TuningError) {
        let base = try ParameterSpace.hpaBehaviorDefault(
          minReplicas: max(1, inputs.autoscaler.minReplicas),
          maxReplicas: inputs.autoscaler.maxReplicas)
        let space = try description.resolve(over: base)
        try space.validateAsHPASpace()
        return space
      } catch {
        throw CommandFailure("space file \(path): \(error.description)")
      }
    }

    let outputs = TuningOutputs()
    try outputs.open("out", path: arguments.value("out"))
    try outputs.open("report", path: arguments.value("report"))
    try outputs.open("manifest-out", path: arguments.value("manifest-out"))

    let tuner: BehaviorTuner
    do {
      let scenario = try TuningScenario(
        name: URL(fileURLWithPath: inputs.tracePath).lastPathComponent + ":" + inputs.demandName,
        autoscaler: inputs.autoscaler, options: inputs.options, workload: inputs.workload,
        demand: inputs.demand, series: inputs.series, feeds: inputs.feeds, timing: inputs.timing,
        lifecycle: inputs.lifecycle, startMilliseconds: inputs.startMilliseconds,
        endMilliseconds: inputs.endMilliseconds, seed: inputs.seed)
      tuner = try BehaviorTuner(
        scenarios: settings.windows > 1 ? try scenario.windows(settings.windows) : [scenario],
        space: space, strategy: settings.strategy, budget: settings.budget,
        maxUnderProvisionedTimeShare: settings.maxUnderProvisioned,
        maxScalingActions: settings.maxScalingActions, robustness: settings.robustness,
        aggregation: settings.aggregation,
        holdOutFraction: settings.holdOut)
    } catch {
      throw TuneFlags.failure(error)
    }

    let progress = TuneProgress(style: settings.progress)
    let shard = settings.shard
    let result: TuningResult
    do {
      result = try Blocking.run { () async throws(TuningError) -> TuningResult in
        try await tuner.tune(shard: shard) { progress.update($0) }
      }
    } catch {
      progress.finish()
      throw TuneFlags.failure(error)
    }
    progress.finish()

    var window = "-"
    if let first = tuner.scenarios.first, let last = tuner.scenarios.last {
      window =
        ReplayCommand.isoTime(first.startMilliseconds) + " → "
        + ReplayCommand.isoTime(last.endMilliseconds)
    }
    let traceName = URL(fileURLWithPath: inputs.tracePath).lastPathComponent
    var search = "\(settings.strategy), budget \(settings.budget), "
    search += "\(tuner.space.dimensions.count) dimensions, hold-out "
    search += NumberText.format(settings.holdOut * 100) + " %"
    if settings.windows > 1 {
      search += ", \(settings.windows) windows (\(settings.aggregation.rawValue))"
    }
    if let bound = settings.maxScalingActions { search += ", \(bound)" }
    if let robustness = settings.robustness {
      search += ", robust over \(robustness.windows) windows of the tuning part (margin "
      search += NumberText.format(robustness.margin * 100) + " %)"
    }
    // The current and chosen HPA over the whole window, for the report's chart.
    var timeline: TuneTimeline?
    if arguments.value("report") != nil, let chosen = result.chosen, shard.count == 1 {
      let chosenSpec: HorizontalPodAutoscalerSpec
      let holdOutStart: Int64?
      do {
        chosenSpec = try chosen.overrides.applied(to: inputs.autoscaler)
        holdOutStart =
          settings.windows == 1
          ? try tuner.scenarios[0].split(holdOutFraction: settings.holdOut).holdOut?.lowerBound
          : nil
      } catch {
        throw TuneFlags.failure(error)
      }
      timeline = try TuneTimeline.replayed(
        current: inputs.autoscaler, chosen: chosenSpec, inputs: inputs,
        holdOutStartMilliseconds: holdOutStart)
    }
    let context = TuneContext(
      title: "autoscale tune — \(inputs.hpaManifest.name) on \(traceName)",
      inputs: [
        ("HPA", "\(inputs.hpaPath) (\(inputs.hpaManifest.name))"),
        ("Workload", inputs.workloadPath),
        ("Trace", "\(inputs.tracePath), column \(inputs.demandName)"),
        ("Window", window),
        ("Search", search),
      ], timeline: timeline)
    try present(
      result, hpa: (inputs.hpaPath, inputs.hpaManifest, inputs.autoscaler), outputs: outputs,
      context: context)
  }

  /// Prints the tables, renders the manifest, report and JSON, and commits the outputs;
  /// shared with `autoscale merge`.
  static func present(
    _ result: TuningResult,
    hpa: (
      path: String, manifest: HorizontalPodAutoscalerManifest, spec: HorizontalPodAutoscalerSpec
    )?,
    outputs: TuningOutputs, context: TuneContext
  ) throws {
    let search = result.search
    var manifest: String?
    if let hpa, let chosen = result.chosen, search.shard.count == 1 {
      manifest = try tunedManifest(chosen: chosen, result: result, hpa: hpa)
    }
    let keep = result.currentIsPreferred
    try outputs.write("out", try TuningOutputs.json(result))
    if outputs.wants("report") {
      try outputs.write(
        "report", TuneReport.html(result: result, context: context, manifest: manifest))
    }
    if let manifest { try outputs.write("manifest-out", manifest) }
    try outputs.commit()

    var text = ""
    if search.shard.count > 1 {
      text +=
        "shard \(search.shard): evaluated \(search.evaluations.count) of "
        + "\(search.plannedCandidates) planned candidates; combine every shard's file with "
        + "`autoscale merge`.\n\nThis shard's front:\n"
      text += result.frontTable(limit: 25)
      print(text, terminator: "")
      return
    }
    text +=
      "Pareto front: \(search.front.count) of \(search.evaluations.count) evaluated "
      + "candidates, \(result.frontScoreGroups.count) distinct scores (cost, "
      + "under-provisioning, unserved demand, scaling actions; * = chosen; same scores: "
      + "front members sharing the row's scores, shown by one of them)\n"
    text += result.frontTable(limit: 25) + "\n"
    let bound = result.maxUnderProvisionedTimeShare.map {
      NumberText.format($0 * 100, digits: 3) + " %"
    }
    let actions = result.maxScalingActions.map {
      " and at most \(NumberText.format($0)) scaling actions"
    }
    text +=
      "Current vs chosen (cheapest with under-provisioned time ≤ \(bound ?? "-")"
      + "\(actions ?? "")):\n"
    text += result.comparisonTable()
    let alternatives = result.alternativesTable()
    if !alternatives.isEmpty { text += "\nWhy nothing cheaper: " + alternatives }
    if let chosen = result.chosen {
      text +=
        (keep ? "\nChosen (the current HPA is preferable): " : "\nChosen: ")
        + chosen.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + "\n"
    } else {
      text += "\nNo candidate could be chosen.\n"
    }
    if let manifest, !outputs.wants("manifest-out") {
      text +=
        keep
        ? "\nYour HPA, unchanged (nothing to apply):\n---\n" + manifest
        : "\nTuned HPA (save it and run kubectl apply -f FILE):\n---\n" + manifest
    }
    print(text, terminator: "")
    if keep {
      Console.error(
        "note: "
          + TuningResult.keepCurrentAdvice(evaluated: search.evaluations.count)
          + (outputs.wants("manifest-out") ? "; the manifest written is your HPA, unchanged" : ""))
    }
    // When the current HPA is kept, the check speaks of a configuration nobody applies.
    if let check = result.holdOutCheck, !check.holds, !keep {
      Console.error(
        "warning: \(check.summary) (see --windows, --robust-windows and --space in "
          + "`autoscale tune --help`)")
    }
  }

  /// The tuned HPA as YAML, checked by reading it back through the manifest reader.
  static func tunedManifest(
    chosen: TunedConfiguration, result: TuningResult,
    hpa: (
      path: String, manifest: HorizontalPodAutoscalerManifest, spec: HorizontalPodAutoscalerSpec
    )
  ) throws(CommandFailure) -> String {
    let tuned: HorizontalPodAutoscalerSpec
    let keep = result.currentIsPreferred
    do {
      tuned = keep ? hpa.spec : try chosen.overrides.applied(to: hpa.spec)
    } catch {
      throw CommandFailure("the chosen configuration cannot be applied to \(hpa.path): \(error)")
    }
    let settings = chosen.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
    var comments =
      keep
      ? [
        "Kept by autoscale tune: your HPA, unchanged. None of the "
          + "\(result.search.evaluations.count) candidates evaluated is preferable to it within "
          + "the bounds on the tuning part; the best of them: " + settings
      ]
      : ["Tuned by autoscale tune: " + settings]
    let now = result.current.tuning
    let then = chosen.scores.tuning
    func hours(_ scores: Objectives) -> String {
      NumberText.format(scores.replicaSeconds / 3600, digits: 1)
    }
    func share(_ scores: Objectives) -> String {
      NumberText.format(scores.underProvisionedTimeShare * 100, digits: 3) + " %"
    }
    comments.append(
      keep
        ? "tuning part: this HPA \(hours(now)) replica-hours, under-provisioned \(share(now)); "
          + "the chosen configuration \(hours(then)) replica-hours, \(share(then))"
        : "tuning part: replica-hours \(hours(now)) → \(hours(then)), under-provisioned "
          + "\(share(now)) → \(share(then))")
    if let check = result.holdOutCheck {
      comments.append(check.summary)
    }
    let yaml = TunedManifest.yaml(
      hpaPath: hpa.path, manifest: hpa.manifest, tuned: tuned,
      behavior: tuned.behavior.map(BehaviorSettings.init), comments: comments)
    // The file must say exactly what was tuned: read it back and compare.
    let reread: HorizontalPodAutoscalerSpec?
    do {
      reread = try ManifestLoader.decode(text: yaml, file: "tuned.yaml")
        .horizontalPodAutoscalers.first?.spec()
    } catch {
      throw CommandFailure("internal error: the tuned manifest does not read back: \(error)")
    }
    guard reread == tuned else {
      throw CommandFailure(
        "internal error: the tuned manifest reads back differently from the chosen configuration")
    }
    return yaml
  }
}
