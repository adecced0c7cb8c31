"""Renderers: the build's results as Markdown pages (Python-Markdown syntax) and data files."""
