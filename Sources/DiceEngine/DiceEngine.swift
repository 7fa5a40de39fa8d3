// DiceEngine module (being written).
