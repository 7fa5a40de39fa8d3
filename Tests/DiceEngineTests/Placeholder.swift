// DiceEngineTests (being written).
