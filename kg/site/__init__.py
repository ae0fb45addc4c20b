"""The documentation site: HTML building blocks (``html``), what pages are made of (``data``),
the pages (``pages``), the ontology's page (``ontology``) and entity diagrams (``diagram``).
Entry point: :func:`kg.site.pages.write_site`."""
