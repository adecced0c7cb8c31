"""Notes: front matter, note bodies (citations, cross-references, safety), claim values, and the global index."""
