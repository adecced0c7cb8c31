"""Renderers: the generated pages as a site, through MkDocs (Material) or Zensical."""
