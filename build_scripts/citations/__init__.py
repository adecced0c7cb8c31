"""Citations: BibTeX entries as CSL-JSON, formatted references, exports and metadata."""
