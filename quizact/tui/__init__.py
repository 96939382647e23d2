"""The Textual app: ``quizact`` with no command opens it (see ``quizact.tui.app.run``).

Nothing here is imported by the core. Importing this package imports neither sympy nor
NumPy; both are loaded in worker threads after the first frame.
"""
