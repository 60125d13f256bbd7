"""Uploaded files: decoding and re-encoding (processing.py) and where they live (storage.py)."""
