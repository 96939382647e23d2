"""quizact: a terminal spaced-repetition trainer for the mathematics of neural networks.

Importing this package is cheap: nothing heavy (sympy, NumPy, Textual) is imported here.
"""

__version__ = "0.1.0"
