"""Citations: BibTeX entries as CSL-JSON, formatted references, exports, metadata and reader labels."""
