// SegscoreCLITests (being written).
