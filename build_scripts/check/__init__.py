"""Checks across notes and library: quotations against the archive, disagreements, paragraph coverage."""
