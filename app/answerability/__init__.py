"""Does the index answer a question? A small learned, calibrated score instead of word rules."""
