"""The library: the BibTeX files, the archive of source texts, LaTeX in field values, and `add-source`."""
