"""The read path: queries, lookups and explanations over a build (or a remote endpoint).

=============  ===========================================================================
``sparql``     a SPARQL lexer: a query's form, parameters, columns; safe substitution
``saved``      saved queries: grlc headers, typed parameters, binding
``run``        running SPARQL on a build's store or a remote endpoint
``results``    :class:`~kg.query.results.Result` and its writers (tables, SPARQL formats, RDF)
``evidence``   the one reader of evidence records
``lookup``     finding entities by name; an entity's card
``why``        where a triple comes from: its quotes, or its OWL 2 RL derivation
=============  ===========================================================================

Import-light: nothing here imports rdflib, so ``kg query`` starts faster than ``import rdflib``.
"""
