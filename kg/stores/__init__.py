"""Triplestores: the SPARQL protocol client (``remote``), loading a build into a store
(``load``), serving a build (``serve``) and files for a store's bulk loader (``export``)."""
