// TestSupport (being written).
