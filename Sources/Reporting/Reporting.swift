// Reporting module (being written).
