"""Grading: safe parsing, symbolic and numeric equivalence, steps, misconceptions."""
