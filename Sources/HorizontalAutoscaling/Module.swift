// The HorizontalAutoscaling module. Its types land with the issue that builds it (see README.md).
