"""Judging: expert reviews, the published ranking method and the finalists."""
