"""Initiatives: rules.py (pure), service.py (operations), routes (pages), forms."""
