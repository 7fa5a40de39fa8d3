// MonaiMetricsTests (being written).
