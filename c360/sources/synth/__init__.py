"""Synthetic news-subscription sources: a day-by-day churn simulation writing three raw files.

Public entry point: c360.sources.generate.generate (re-exported from api.py). See docs/generator.md.
"""
