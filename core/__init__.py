"""The meeting's truth: model, meeting files, store, timer, rules.

Nothing in this package may import textual or rich (tests/test_import_hygiene.py).
"""
