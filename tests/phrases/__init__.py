"""The phrase corpus and the code that judges the matcher on it."""
