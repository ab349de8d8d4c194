// The umbrella module: one import for every module of the package.
@_exported public import AutoscalingCore
@_exported public import AutoscalingReplay
@_exported public import AutoscalingTraces
@_exported public import AutoscalingTuning
@_exported public import HorizontalAutoscaling
@_exported public import NodeAutoscaling
@_exported public import VerticalAutoscaling
