// ReportingTests (being written).
