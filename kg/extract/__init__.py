"""Drafting the annotation of a new document: its text and dates (``text``), the names it
mentions (``mentions``, with the ``gazetteer``), the statements the rules find (``statements``)
and the draft itself (``draft``, entry point :func:`kg.extract.draft.extract`)."""
