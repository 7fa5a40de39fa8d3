// MonaiMetrics module (being written).
