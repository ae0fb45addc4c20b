"""Find what a press release mentions: names from the gazetteer, capitalised names whose head
word says what they are ("... Agency", "Ministry of ...", "Instituto de ..."), names glossed by
what they are ("the Rashid 2 lunar rover"), instruments, facilities and meetings the text only
describes, people with their offices (:mod:`kg.extract.people`), acronyms defined in
parentheses, places after locative words and in "City, Region", and money amounts.

Rules and the gazetteer by default; ``ner="tagger"`` (:mod:`kg.extract.tagger`) or
``ner="spacy"`` (:mod:`kg.extract.ner`) lets a learned model fill the gaps. Each
:class:`Mention` carries the key of the entity it names: an existing one when the gazetteer
knows it (``linked``), else a slug minted from the name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from kg.extract import people as P
from kg.extract.gazetteer import PLACES, Gazetteer, Known
from kg.extract.text import MONTH, WEEKDAY, tables
from kg.namespace import slug
from kg.query.lookup import fold

if TYPE_CHECKING:
    from kg.extract.tagger import Tagger

# a capitalised word ("Leaders'" before a name goes on: "the G20 Leaders' Summit")
_W = rf"(?:{P.UP}[\w-]*s'(?= {P.UP})|{P.UP}[\w’'&./*–-]*[\w’]|{P.UP}\.?|\d+(?:st|nd|rd|th))"
_CONN = r"(?:of|for|and|on|in|to|the|de|du|&|between|für|und)"  # German names too
# a quoted name inside a name goes on: 'the Japanese Experiment Module "Kibo" and in ...'
_QUOTED = rf"(?:“{P.UP}[\w-]*”|\"{P.UP}[\w-]*\")"
RUN = re.compile(rf"{_W}(?:(?: {_CONN})+ {_W}| {_W}|(?: {_CONN})* {_QUOTED}(?= (?:{_CONN}|{P.UP}))|"
                 rf" \d+(?:\.\d+)?\b(?!,? \d))*")
_ITEM = rf"{_W}(?: (?:in|of|and|for|on) {_W}| {_W})*"
LIST_RUN = re.compile(  # "Ministry of Economy, Trade and Industry": commas inside a name
    rf"(?:(?:[A-Z][\w’'.-]* )*(?:Ministry|Department|Minister|Secretary|Commissioner)|"
    rf"Secretary of State) (?:of|for) (?:the )?{_W}(?: {_W})*(?:, {_W}(?: {_W})*)*"
    rf"(?:,? and {_W}(?: {_W})*)|"
    # "Memorandum of Understanding (MoU) on Cooperation in Science, Technology and Innovation"
    rf"(?:{_W} )*(?:Memorandum(?: of (?:Understanding|Cooperation))?|Agreement|Arrangement|"
    rf"Declaration|Statement|Protocol|Treaty|Convention|Accord|Letter of Intent)"
    rf"(?: \([A-Z][\w-]*\))? (?:on|for|in) {_ITEM}(?:, (?:the )?{_ITEM})*,? and (?:the )?{_ITEM}|"
    # "Agreement between the Government of X and the Government of Y on Cooperation in
    # Science, Technology and Innovation": the sides, then the topic's list
    rf"(?:Memorandum(?: of (?:Understanding|Cooperation))?|Agreement|Arrangement|Declaration)"
    rf" between (?:the )?[A-Z](?:(?! (?:on|for|in) )[^;.\n|]){{3,200}} (?:on|for|in) "
    rf"{_ITEM}(?:, (?:the )?{_ITEM})*,? and (?:the )?{_ITEM}|"
    # "ASEAN Ministerial Meeting on Science, Technology and Innovation", "Joint Commission on
    # Science, Technology and Innovation", "Secretariat of Science, Humanities, Technology and
    # Innovation", "Agency for Science, Technology and Research"
    rf"(?:{_W} )*(?:Meeting|Committee|Commission|Council|Forum|Secretariat|Dialogue|Agency|"
    rf"Institute|Foundation|Office|Bureau) "
    rf"(?:on|for|of) "
    rf"{_W}(?:, {_W})+,? and {_W}")

# The lifecycle events (ontology/modules/lifecycle.ttl): statements' scaffolding, not mentions.
LIFECYCLE = frozenset({
    "LifecycleEvent", "SignatureEvent", "ConsentToBeBound", "Ratification", "Acceptance",
    "Approval", "Accession", "ConsentBySignature", "EntryIntoForce", "ProvisionalApplication",
    "Amendment", "Renewal", "Termination", "Withdrawal"})

# Head words, checked right to left: the last one in a name says what the name is.
HEADS: list[tuple[str, str]] = [
    (r"Memorandum of (?:Understanding|Cooperation)|Memorandum", "MemorandumOfUnderstanding"),
    # the IAEA's "Practical Arrangements": a non-binding instrument of an agency
    (r"Practical Arrangements?", "NonBindingAgreement"),
    (r"(?:Implementing|Administrative) Arrangement|Arrangement", "ImplementingArrangement"),
    (r"Framework Agreement", "FrameworkAgreement"),
    (r"Agreement|Accord|Pact|Protocol", "Agreement"),
    (r"Treaty|Convention", "Treaty"),
    # "Joint Declaration of Intent on ...", like a letter of intent, is a non-binding agreement
    (r"Letter of Intent|(?:Joint )?Declaration of Intent|Statement of Intent",
     "NonBindingAgreement"),
    (r"Joint Statement|Joint Declaration|Declaration", "JointStatement"),
    (r"Ministry|Department|Ministerio|Ministério|Ministère|Ministero|Ministerium", "Ministry"),
    (r"Government", "Government"),
    (r"Research and Innovation|Research Council|Council|Foundation|Consejo|Conselho|Consiglio|"
     r"Fundación|Fundação|Fondation|Stiftung", "FundingBody"),
    (r"Institute of (?:Science|Technology)|University|College|Universidad|Universidade|"
     r"Université|Università|Universität|Universiteit|Universitet", "University"),
    (r"Synchrotron Radiation Centre|Synchrotron Radiation Facility|Synchrotron|Light Source",
     "Synchrotron"),
    (r"Neutrino Experiment|Neutrino Observatory|Neutrino Detector", "NeutrinoExperiment"),
    (r"Space Centre|Space Center", "Agency"),
    (r"Institutes?|Institution|Institut|Instituto|Istituto|Gesellschaft|Laboratory|Laboratories|"
     r"Laboratorio|Laboratoire|Centre|Center|Centro|Zentrum|Forschungszentrum|Bundesanstalt",
     "ResearchInstitute"),
    (r"Observatory|Observatories|Observatorio|Observatoire|Osservatorio|Telescopio|Facility|"
     r"Telescope|"
     r"Accelerator|Reactor|Supercomputer|Platform|"
     r"Infrastructure|Database|Complex|Station|Base|Array|Experiment|Detector|Laser|Tokamak|"
     r"Spallation Source|Source|Collider|Beamline|Radar", "ResearchFacility"),
    (r"Secretariat|Directorate-General|Directorate", "PublicBody"),
    (r"Agency|Agencia|Agência|Agence|Organization|Organisation|Administration|Authority|"
     r"Office|Bureau", "Agency"),
    (r"Commission|Committee|Society|Academy|Association|Network|Alliance|Consortium|Guild|"
     r"Working Group|Task Force|"
     r"Steering Group|Expert Group|Board of (?:Trustees|Governors|Directors)", "Organisation"),
    (r"Corporation|Company|Ltd|Limited|plc|Inc|Industries|Holdings", "Company"),
    (r"Fund", "Fund"),
    # "Svalbard Strategic Grant", "HFSP Research Grants" (not "Grants will range from ...")
    (r"Programme|Program|Initiative|Scheme|Fellowships?|[A-Z][\w-]* Grants?|Partnership|Call",
     "Programme"),
    (r"Project|Mission|Rover|Satellite|Spacecraft", "ResearchProject"),
    (r"Meeting|Summit|Conference|Forum|Dialogue|Symposium|Workshop", "Meeting"),
    (r"Messe|Trade Fair|Fair|Expo|Exhibition", "Event"),
    (r"Strategy|Framework|Roadmap|Action Plan|Plan|White Paper|Vision", "Strategy"),
]
LOWER_HEADS = (r"synchrotron(?: light source| radiation facility)?|(?:particle )?accelerator|"
                r"(?:radio |space )?telescope|observatory|research (?:facility|centre|center|"
                r"vessel|station|reactor|infrastructure)|facility|laboratory|reactor|experiment|"
                r"supercomputer|project|programme|program|scheme|fund|initiative|"
                r"free-electron laser|laser|"
                r"(?:spherical )?tokamak|device|rover|radar(?: system)?|test site|light source|"
                r"neutron source|detector|space station|satellite|spacecraft|mission|upgrade|"
                r"geothermal field|oil field|gas field|test bed|testbed|quantum computer|"
                r"research vessel|vessel|conference|summit|symposium|congress|"
                r"(?:satellite )?constellation")
_LOWER_CLASSES = [(r"synchrotron|light source", "Synchrotron"), (r"field$", "Place"),
                  (r"project|rover|satellite|spacecraft|mission|upgrade|constellation",
                   "ResearchProject"),
                  (r"programme|program|scheme|initiative", "Programme"), (r"fund", "Fund"),
                  (r"conference|summit|symposium|congress", "Meeting")]

def whole_words(text: str, phrase: str, word: str = r"\w-", tail: str = "") -> Iterator[re.Match]:
    """Every occurrence of ``phrase`` in ``text`` that is not part of a longer word: no
    character of the class ``word`` (the inside of a ``[...]``) just before or after it, and
    no ``tail`` (a pattern) after it either ("ANID" but not "ANID-funded"; with ``tail=" [A-Z]"``,
    not the first word of a longer name)."""
    after = f"[{word}]|{tail}" if tail else f"[{word}]"
    return re.finditer(rf"(?<![{word}]){re.escape(phrase)}(?!{after})", text)

# capitalised words that start a sentence rather than a name ("When the Rubin Observatory")
_FUNCTION_WORDS = {"The", "A", "An", "When", "While", "If", "As", "After", "Before", "Since",
                   "During", "Under", "Through", "With", "For", "At", "In", "On", "By", "From",
                   "To", "Today", "Yesterday", "Both", "All", "Each", "This", "That", "These",
                   "Those", "Its", "Their", "Our", "It", "Once", "Until", "Following", "Also",
                   "Meanwhile", "However", "Together", "Like", "Unlike", "Besides", "Among"}
_NOT_FIELDS = {"the", "a", "an", "its", "their", "our", "will", "would", "to", "of", "with",
               "for", "on", "in", "or", "is", "are", "was", "were", "has", "have", "be",
               "been", "new", "other", "more", "both", "all", "each", "between", "jobs",
               "people", "skills", "countries", "partners", "institutions", "universities",
               "researchers", "scientists", "engineers", "students", "industry", "companies",
               "business", "businesses", "government", "governments", "data", "staff", "time",
               "training", "exchanges", "workshops", "projects", "programmes", "calls",
               "facilities", "infrastructure", "infrastructures", "equipment", "funding",
               "support", "development", "growth", "security", "prosperity", "innovation",
               "cooperation", "collaboration", "partnership", "research", "science", "and",
               "technology", "technologies", "engineering", "sciences", "policy", "policies"}
_FOREIGN_HEADS = (r"(?:Instituto|Istituto|Institut|Telescopio|Observatorio|Observatoire|"
                  r"Osservatorio|"
                  r"Universidad|Universidade|Université|Università|Centro|Laboratorio|Laboratoire|"
                  r"Agencia|Agência|Agence|Consejo|Conselho|Consiglio|Fundación|Fundação|"
                  r"Fondation|Ministerio|Ministério|Ministère|Ministero)$")
_TOPIC_WORDS = {"Cooperation", "Collaboration", "Partnership", "Research", "Science", "Sciences",
                "Innovation", "Technology", "Excellence", "Education", "Studies", "Advances",
                "Investment", "Leadership", "Training"}
_ORG_NOUNS = {"Ministry", "Department", "Agency", "Council", "Centre", "Center", "Institute",
              "Foundation", "Office", "Commission", "Committee", "Laboratory", "Bureau",
              "Government", "University", "Secretariat", "Fund", "Programme", "Program",
              "Agreement", "Arrangement", "Memorandum", "Declaration", "Meeting", "Forum"}
_AGREEMENT_HEADS = (r"Memorandum of (?:Understanding|Cooperation)|Memorandum|Practical "
                    r"Arrangements?|(?:Implementing|"
                    r"Administrative) Arrangement|Arrangement|Framework Agreement|Agreement|"
                    r"Accord|Pact|Treaty|Convention|Joint Statement|"
                    r"(?:Joint )?Declaration of Intent|"
                    r"Joint Declaration|"
                    r"Declaration|Statement of Intent|Letter of Intent")
HEAD_WORDS = re.compile(r"\b(?:" + "|".join(f"(?:{h})" for h, _ in HEADS) + r")\b")
TITLES = ("Minister|Secretary|Commissioner|Ambassador|President|Vice-President|Director|"
          "Director-General|Chancellor|Vice-Chancellor|Professor|Prof|Dr|Chair|Chairman|"
          "Chairwoman|Chairperson|Chief Executive|CEO|Governor|Mayor|Envoy|Counsellor|Councillor|"
          "Premier|Secretary-General|Head|Lead|Principal|Provost|Dean|Rector|Vice-Rector|"
          "Vice-Principal|Undersecretary|Under-Secretary")
_TITLE = re.compile(rf"\b(?:{TITLES})\b")
_NOT_NAMES = set(("Minister Secretary Commissioner Ambassador President Director Chancellor "
                  "Professor Prof Dr Chair Chief Executive CEO Governor Mayor Envoy State "
                  "Deputy Vice Senior Junior Science Technology Innovation Industry Research "
                  "Trade Economy Education Culture Sports Energy Foreign Affairs Health Digital "
                  "Business Development International National Federal Joint Security Space "
                  "Universities Skills Environment Climate Agriculture Defence Finance Home "
                  "Parliamentary Under Secretary-General Director-General Prime Head Lead "
                  "Mr Ms Mrs Sir Dame Lord Lady The Minister’s Government").split())
_LOCATIVE = re.compile(r"\b(?:signed|inked|held|hosted|based|located|visited|visiting|opened|met|"
                       r"forum|summit|conference|ceremony|sidelines|congress|workshop|complex|"
                       r"station|site|telescope|reactor|mine|campus|headquarters|plant|"
                       r"installed|operated|detectors?|device|array|antennas?|source|"
                       r"meeting|took place|travelled|headquartered|built|sited|centre|city|"
                       r"university|institute|laboratory|synchrotron|facility|facilities|"
                       r"observatory|campus|committee|computer|supercomputer|vessel|port)\b",
                       re.IGNORECASE)
_PLACE_AFTER = re.compile(rf"\b(?P<prep>in|at|to|near|off|outside) ({P.UP}[^\W\d_]+(?:-[^\W\d_]+)?"
                          rf"(?: (?:de|do|da|di|del|dos|du|des) {P.UP}[^\W\d_]+)?"
                          rf"(?:[ -]{P.UP}[^\W\d_]+)?)(?=[,.;:)]|"
                          r" (?:on|today|yesterday|tomorrow|last|next|this|in|and|from|for|to|"
                          r"at|where|which|with|during|earlier|later|by|will|would|has|have|is|are|was|were)\b|\n)")
_ISO = ("GBP EUR USD JPY CAD INR KRW AUD CNY AED SGD MYR BRL SEK NOK DKK ZAR NZD HKD CZK PLN HUF "
        "RON BGN ISK TWD THB VND PHP IDR ILS TRY MXN CLP ARS COP PEN EGP KES NGN SAR QAR JOD MAD "
        "TND DZD GHS UGX TZS RWF ETB KWD BHD OMR PKR BDT LKR NPR KZT UAH RSD UYU").split()
_CUR = (r"US\$|CA\$|C\$|A\$|AU\$|NZ\$|NT\$|S\$|SG\$|HK\$|R\$|£|€|\$|¥|₹|₩|Rs\.?|Rp\.?|RM|KSh|"
        r"CHF|R(?=\d)|" + "|".join(_ISO))
# a decimal comma before a multiplier ("R17,5 million"), thousands' commas ("1,500")
_NUMBER = (r"\d+,\d{1,2}(?= ?(?:million|billion|bn|mn)\b)|\d{1,3}(?:,\d{3})+(?:\.\d+)?|"
           r"\d+(?:\.\d+)?")
_MONEY = re.compile(
    rf"(?<![\w$])(?P<cur>{_CUR}) ?"
    rf"(?P<num>{_NUMBER})(?: ?(?P<mult>million|billion|"
    rf"trillion|bn|mn|m|thousand|crore|lakh)\b)?|(?P<num2>{_NUMBER}) (?P<mult2>million |"
    r"billion |crore |lakh )?(?P<cur2>pounds|euros|yen|dollars|Swiss francs|francs|rupees|won|"
    r"yuan|(?:Danish|Swedish|Norwegian|Czech) (?:crowns|kroner|kronor)|(?:Peruvian )?soles|"
    r"kronor|kroner|rand|reais|dirhams|ringgit|rupiah|pesos|zloty|złoty|forint|"
    r"baht)\b")
CURRENCY = {"£": "GBP", "€": "EUR", "$": "USD", "US$": "USD", "¥": "JPY", "₹": "INR",
            "₩": "KRW", "NT$": "TWD", "Rp": "IDR", "Rp.": "IDR", "R": "ZAR", "rupiah": "IDR",
            "CA$": "CAD", "C$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD",
            "S$": "SGD", "SG$": "SGD", "HK$": "HKD", "KSh": "KES", "R$": "BRL", "Rs.": "INR",
            "Rs": "INR",
            "RM": "MYR", "pounds": "GBP", "euros": "EUR", "yen": "JPY", "dollars": "USD",
            "francs": "CHF", "Swiss francs": "CHF", "rupees": "INR", "won": "KRW",
            "yuan": "CNY", "kronor": "SEK", "rand": "ZAR", "reais": "BRL", "dirhams": "AED",
            "ringgit": "MYR", "zloty": "PLN", "złoty": "PLN", "forint": "HUF", "baht": "THB",
            "soles": "PEN", "Peruvian soles": "PEN",
            **{f"{nation} {word}": code for nation, code in (
                ("Danish", "DKK"), ("Swedish", "SEK"), ("Norwegian", "NOK"), ("Czech", "CZK"))
               for word in ("crowns", "kroner", "kronor")}}
MULTIPLIER = {"million": 10**6, "mn": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9,
              "trillion": 10**12, "thousand": 10**3, "crore": 10**7, "lakh": 10**5, None: 1}
# "$" read by the country a text is from (the first one it names near its top)
DOLLARS = {"canada": "CAD", "australia": "AUD", "new-zealand": "NZD", "singapore": "SGD",
           "hong-kong": "HKD"}


@dataclass
class Mention:
    """A span of the text naming an entity (``key``) of ontology class ``cls``."""

    start: int
    end: int
    text: str
    cls: str
    key: str
    linked: bool
    label: str
    info: dict = field(default_factory=dict)  # acronym, country, post, person, ...


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    text: str
    amount: str  # xsd:decimal lexical form
    currency: str  # ISO 4217
    resolved: str | None = None  # how a unit such as crore was read


def find_money(text: str) -> list[Money]:
    """Amounts with their currency.

    >>> [(m.amount, m.currency) for m in find_money("a further £15.5 million and ¥1.2 billion")]
    [('15500000', 'GBP'), ('1200000000', 'JPY')]
    """
    out = []
    for m in _MONEY.finditer(text):
        num = m.group("num") or m.group("num2")
        mult = m.group("mult") or (m.group("mult2") or "").strip() or None
        decimal = re.fullmatch(r"\d+,\d{1,2}", num)  # "17,5" is 17.5
        value = Decimal(num.replace(",", "." if decimal else "")) * MULTIPLIER[mult]
        amount = format(value.normalize(), "f") if value == value.to_integral() else str(value)
        cur = CURRENCY.get(m.group("cur") or m.group("cur2"), m.group("cur") or "")
        if m.group("cur2") == "kroner":
            cur = "NOK"
        resolved = None
        if mult in ("crore", "lakh"):
            resolved = (f"one {mult} is {MULTIPLIER[mult]:,}: {m.group(0)} is "
                        f"{int(value):,}")
        out.append(Money(m.start(), m.end(), m.group(0), amount.split(".")[0]
                         if "." in amount and set(amount.split(".")[1]) == {"0"} else amount,
                         cur, resolved))
    return out


def _initials(acronym: str, name: str) -> bool:
    """Whether the letters of ``acronym`` are initials of ``name``'s words, in order."""
    letters = iter(w[0] for w in name.split(" ") if w[:1].isupper())
    return all(any(c == x for x in letters) for c in acronym)


def classify(name: str) -> tuple[str | None, int]:
    """The class a name's last head word gives, and where the head ends (``None`` if none)."""
    heads = list(HEAD_WORDS.finditer(name))
    if not heads:
        return None, -1
    if re.match(r"(?:Federal |Union |State )?(?:Ministry|Department) (?:of|for) ", name):
        return "Ministry", len(name)  # "Ministry of University and Research"
    if re.search(r"\b(?:19|20)\d\d Convention\b", name):  # "the PDAC 2025 Convention ... in
        place = re.search(r" in [A-Z][\w-]*$", name)  # Toronto": a convention held, no treaty
        return "Meeting", place.start() if place else len(name)
    if re.match(r"(?:(?:\d+(?:st|nd|rd|th)|First|Second|Third|Next|Annual) )?Meeting of ", name):
        return "Meeting", len(name)  # "7th Meeting of the Joint Committee"
    if re.match(rf"(?:{P.UP}[\w’'-]* )?(?:Minister|Commissioner|Secretary) (?:of|for) "
                rf"(?![Tt]he\b)[^,]*, ", name) and not re.search(r"\b(?:Ministry|Department)\b",
                                                                  name):
        return None, -1  # "Commissioner for Startups, Research and Innovation": an office
    if heads[-1].group(0) == "Institutes" and heads[-1].end() == len(name):
        heads = heads[:-1]  # "the National Institutes for X", not "the Y Institutes program"
        if not heads:
            return None, -1
    last = heads[-1]
    first = heads[0]
    if re.fullmatch(_AGREEMENT_HEADS, first.group(0)) and re.match(
            r" (?:on|for|in|of|to|\()", name[first.end():]) and first.start() < 30:
        return next(c for p, c in HEADS if re.fullmatch(p, first.group(0))), first.end()
    for head in heads:  # "Agreement between the Government of X and ...": an agreement
        if name[head.end():].startswith(" between ") and re.fullmatch(
                r"Agreement|Treaty|Memorandum of (?:Understanding|Cooperation)|"
                r"(?:Implementing |Administrative |Practical )?Arrangements?", head.group(0)):
            return next(c for p, c in HEADS if re.fullmatch(p, head.group(0))), len(name)
    for pattern, cls in HEADS:
        if re.fullmatch(pattern, last.group(0)):
            return cls, last.end()
    return None, -1


def group_of(cls: str) -> str:
    """The coarse group of a class: place, Person, Post, TechnologyArea, Investment,
    agreement, programme, event, policy, facility or organisation."""
    if cls in PLACES:
        return "place"
    if cls in ("Person", "Post", "TechnologyArea", "Investment"):
        return cls
    if cls in ("Agreement", "Treaty", "FrameworkAgreement", "MemorandumOfUnderstanding",
               "ImplementingArrangement", "JointStatement", "NonBindingAgreement"):
        return "agreement"
    if cls in ("Programme", "Fund", "FundingProgramme", "ResearchProject"):
        return "programme"
    if cls in ("Meeting", "Visit", "Event") or cls in LIFECYCLE:
        return "event"
    if cls in ("Strategy", "PolicyDocument"):
        return "policy"
    if cls in ("ResearchFacility", "Synchrotron", "NeutrinoExperiment"):
        return "facility"
    return "organisation"


def groups(types) -> set[str]:
    """Coarse groups of a class list, for comparing a mention with an entity's types."""
    out = {group_of(t) for t in types}
    if "ResearchInstitute" in types:
        out |= {"facility", "organisation"}
    if out & {"place"}:
        out.discard("organisation")  # a State is an Organisation too, but named as a place
    return out


def _spelled_alike(a: str, b: str) -> bool:
    """Whether two nearly equal names differ only in spelling ("Centre"/"Center",
    "Organisation"/"Organization"), word for word: not in a short word, where a letter makes
    another name ("President of KAERI" is not "President of KASI")."""
    wa, wb = a.split(), b.split()
    return len(wa) == len(wb) and all(
        x == y or (min(len(x), len(y)) > 5
                   and difflib.SequenceMatcher(None, x, y).ratio() >= 0.75)
        for x, y in zip(wa, wb, strict=True))


class Finder:
    """Finds mentions in one text with one gazetteer."""

    def __init__(self, text: str, gaz: Gazetteer):
        self.text, self.gaz = text, gaz
        self.names = gaz.names()
        self.folded = gaz.folded()
        self._close: dict[str, str | None] = {}
        self.bodies: set[str] = set()  # names of bodies read from their heads' offices

    def _near(self, folded: str) -> str | None:
        """The folded gazetteer name within a 0.9 similarity ratio of ``folded``, if any; only
        names of nearly the same length can reach it (2·min/(a+b) ≥ 0.9), so only they are
        compared."""
        if folded not in self._close:
            n = len(folded)
            pool = [k for k in self.folded if 0.81 * n <= len(k) <= n / 0.81]
            close = [k for k in difflib.get_close_matches(folded, pool, n=3, cutoff=0.9)
                     if _spelled_alike(folded, k)]
            self._close[folded] = close[0] if close else None
        return self._close[folded]

    # ------------------------------------------------------------------ linking
    def link(self, name: str, cls: str) -> tuple[str, bool, str]:
        """(key, linked, label) for a name of class ``cls``: the gazetteer's entity when a name
        matches exactly, when folded, or (for names of 10+ characters) nearly, in the same
        group; else a minted slug."""
        want = groups([cls])
        key = self.names.get(name) or self.folded.get(fold(name))
        if key is None and len(name) >= 10:
            close = self._near(fold(name))
            key = self.folded[close] if close else None
        if key is None and slug(name) in self.gaz.entries:
            key = slug(name)
        known = self.gaz.entries.get(key) if key else None
        if known and groups(known.types) & want:
            return known.key, True, known.label
        minted = slug(name)
        if minted in self.gaz.entries:  # same slug, other kind of thing: keep them apart
            minted = f"{minted}-{slug(cls)}"
        return minted, False, name

    def mention(self, start: int, end: int, cls: str, name: str | None = None,
                **info) -> Mention:
        name = name or self.text[start:end]
        key, linked, label = self.link(name, cls)
        known = self.gaz.entries.get(key)
        if linked and known:
            cls = known.types[0] if cls not in known.types else cls
        return Mention(start, end, self.text[start:end], cls, key, linked, label, info)

    def learned(self, start: int, end: int, cls: str, taken: list[tuple[int, int]],
                **info) -> Mention | None:
        """A learned finder's name (:mod:`kg.extract.tagger`, :mod:`kg.extract.ner`) as a
        mention, or ``None`` where it cannot be one: overlapping a rule's mention in ``taken``,
        shorter than three characters, over a line break, title words only, a currency code,
        an undefined acronym of five letters or fewer, a person with one name."""
        text = self.text[start:end]
        if (len(text) < 3 or any(a < end and start < b for a, b in taken) or "\n" in text
                or set(text.split()) <= P.NOT_NAMES or text in CURRENCY
                or (text.isupper() and len(text) <= 5)):
            return None
        name = P.label_of(text) if cls == "Person" else text
        if cls == "Person" and len(name.split()) < 2:
            return None
        return self.mention(start, end, cls, name, **info)

    # ------------------------------------------------------------------ passes
    def gazetteer_mentions(self) -> list[Mention]:
        out = []
        exact = sorted((n for n in self.names if not n.islower()), key=len, reverse=True)
        lower = sorted((n for n in self.names if n.islower()), key=len, reverse=True)
        for names, flags in ((exact, 0), (lower, re.IGNORECASE)):
            if not names:
                continue
            rx = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])",
                            flags)
            for m in rx.finditer(self.text):
                name = m.group(0)
                if flags and name[0].isupper() and not re.search(
                        r"(?:^|[.!?:•]\s*|\n)$", self.text[max(0, m.start() - 3):m.start()]):
                    continue  # "Innovation, Science and ... Canada": part of a name
                if self.text[m.end():m.end() + 1] == "$":
                    continue  # "US$12 million", "A$": a currency, not a country
                if name.lower() == "innovation" and (re.search(
                        r"\b(?:research|science|technology),? and $",
                        self.text[max(0, m.start() - 20):m.start()], re.IGNORECASE)
                        or re.match(r" (?:agenc|system|ecosystem|polic|hub|centre|center|"
                                    r"council|fund|minist|partner)", self.text[m.end():])):
                    continue  # "the largest research and innovation agency": no field
                key = self.names.get(name) or self.names.get(name.lower()) or \
                    self.folded.get(fold(name))
                known = self.gaz.entries[key]
                body = groups(known.types) == {"organisation"}
                more = re.match(r" ([A-Z][a-z]+)\b", self.text[m.end():])
                if " " in name and more and body and more.group(1) not in _FUNCTION_WORDS \
                        and not _CALENDAR_WORD.fullmatch(more.group(1)) \
                        and not _TITLE.search(more.group(1)) and not any(
                            n.startswith(more.group(1)) for n in self.names):
                    continue  # "Korea Institute of Science and Technology Information": the
                    # start of a longer name, not the institute it starts as
                owner = re.search(r"((?:[A-Z][\w-]* )?[A-Z][\w-]*)(?:’s|'s) $",
                                  self.text[max(0, m.start() - 40):m.start()])
                country = owner and body and self.gaz.country_of(owner.group(1))
                if country and self._country_in(known.label) not in (None, country):
                    # "South Africa's National Research Foundation" is not the "National
                    # Research Foundation Singapore": another country's body of that name
                    minted = slug(f"{name} {self.gaz.entries[country].label}")
                    out.append(Mention(m.start(), m.end(), name, known.types[0], minted, False,
                                       name, {"country": country, "not_known": key}))
                    continue
                out.append(Mention(m.start(), m.end(), name, known.types[0], key, True,
                                   known.label, {"gazetteer": True}))
        # "astrophysics and volcano monitoring": a field named beside a known one is a field
        topics = {n.lower() for n, k in self.names.items() if n.islower()
                  and "TechnologyArea" in self.gaz.entries[k].types}
        # (not "well as bioenergy" in "as well as bioenergy and carbon capture")
        word = r"(?!(?:as|well|such|including|both|the|an?|of|and|or|in|on|for|to|with|at|by|" \
               r"from|into)\b)[a-z][a-z-]+"  # no function word in a field's name
        phrase = rf"{word}(?: {word}){{0,2}}"
        # ... and so is each of a list with one ("quantum sensing, quantum materials and
        # quantum computing")
        for m in re.finditer(rf"\b{phrase}(?:, {phrase})*,? and {phrase}(?=[,.;:)]| (?:research|"
                             r"in|for|to|at|through|under|with)\b)", self.text, re.IGNORECASE):
            cuts = list(re.finditer(r",? and |, ", m.group(0)))  # between the items
            starts = [0] + [c.end() for c in cuts]
            ends = [c.start() for c in cuts] + [len(m.group(0))]
            items = [(m.start() + lo, m.group(0)[lo:hi])
                     for lo, hi in zip(starts, ends, strict=True)]
            if not any(x.lower() in topics for _, x in items):
                continue
            for at, x in items:
                words = x.lower().split(" ")
                if (x.lower() not in topics and x.islower() and not set(words) & _NOT_FIELDS
                        and not words[-1].endswith("ly") and (len(items) == 2 or len(words) > 1)):
                    # (a word alone in a longer list is as often a material: "lithium")
                    out.append(Mention(at, at + len(x), x, "TechnologyArea", slug(x), False, x,
                                       {}))
        # "polar and climate research", "accelerator, neutron research": the first field too
        for m in re.finditer(r"\b([a-z][\w-]+)(?:,| and) (?:[a-z][\w-]+ )?(research|science|"
                             r"sciences|energy|technolog(?:y|ies)|physics|engineering)\b",
                             self.text):
            key = self.names.get(f"{m.group(1)} {m.group(2)}")
            if key and not self.names.get(m.group(1)):
                known = self.gaz.entries[key]
                out.append(Mention(m.start(1), m.end(1), m.group(1), known.types[0], key, True,
                                   known.label, {"gazetteer": True}))
        return out

    def runs(self) -> list[tuple[int, int]]:
        """Spans of capitalised runs, without a final possessive ("George Freeman’s")."""
        spans = set()
        for m in [*RUN.finditer(self.text), *LIST_RUN.finditer(self.text)]:
            end = m.end()
            if self.text[m.start():end].endswith(("’s", "'s")):
                end -= 2
            elif self.text[m.start():end].endswith(("’", "'")):
                end -= 1
            pieces = self._split_and(m.start(), end) if m.re is RUN else set()
            spans |= pieces or {(m.start(), end)}
        return sorted(spans)

    def _split_and(self, start: int, end: int) -> set[tuple[int, int]]:
        """"Indian Institute of Science in Bengaluru and Tohoku University": two names."""
        raw, out, left = self.text[start:end], set(), 0
        if re.match(rf"(?:{_W} )*?(?:{_AGREEMENT_HEADS})\b[^,;]* between the Governments? of ",
                    raw):
            return out  # "Agreement on Science and Technology Cooperation between the
            # Government of X and the Government of Y": one name, its parties in its title
        for m in re.finditer(" and (?:(?:on|at|in) )?(?:the )?", raw):
            piece = raw[left:m.start()]
            if " between " in piece:
                break  # "Agreement between the Government of X and the Government of Y"
            if re.match(" and (?:on|at|in) ", m.group(0)):  # "at the Culham Campus in
                out.add((start + left, start + m.start()))  # Oxfordshire and on the Korea
                left = m.end()  # Superconducting Tokamak ...": two places
                continue
            if re.search(r"\b[A-Z][a-z]+ing$", piece):
                continue  # "Protocol Extending and Amending the Agreement ...": one title
            rest = re.split(" and ", raw[m.end():])[0]
            # the words after "and" name something of their own ("... and Tohoku University"),
            # not the end of one name ("Funding Authority for Studies and Projects")
            own = (m.group(0).endswith("the ") or classify(rest)[0] or rest in self.names
                   or self.gaz.country_of(rest) or re.fullmatch(r"[A-Z]{2,}\w*", rest)
                   or not re.search(r"\b(?:of|for|on|in)\b", piece))
            owned = re.match(r"[A-Z][\w-]*(?:’s|'s) ", rest) and classify(rest)[0]
            if (classify(piece)[0] and own) or piece in self.names or piece in self.bodies or (
                    m.group(0).endswith("the ") and classify(raw[m.end():])[0]) or owned:
                # ("Scott Base and Korea's Jang Bogo Station": the second is Korea's own)
                out.add((start + left, start + m.start()))  # "GNS Science and the National
                left = m.end()  # Institute of ...": two names
        if out:
            out.add((start + left, end))
        return out

    @staticmethod
    def _generic_lead(name: str, head: str) -> bool:
        """Whether a name before a lower-case head starts with a function, office or field word
        ("Quantum research programme"); a programme's or scheme's name of capitalised words
        that are not all such words is a name ("its Quantum Sensors Challenge program", "its
        Polar and Cryosphere Research (PACER) scheme")."""
        words = name.split(" ")
        if words[0] in _FUNCTION_WORDS:
            return True
        if re.fullmatch(r"programme|program|scheme|initiative|fund", head) and len(words) >= 2:
            return all(w in P.NOT_NAMES or w in P._CONNECTORS for w in words)
        return words[0] in P.NOT_NAMES

    def lower_heads(self) -> list[Mention]:
        """Names followed or glossed by what they are: "the NanoTerasu synchrotron radiation
        facility", "the Hyper-Kamiokande (Hyper-K) project", "the PAL-XFEL X-ray free-electron
        laser", "the Rashid 2 lunar rover", "EISCAT_3D, the next-generation radar system"."""
        out = []
        name = rf"(?P<name>{RUN.pattern}\+?|[A-Z][\w.-]*\d[\w.-]*)"
        # (not "users from Egypt and Cyprus at the facility's beamlines")
        gloss = r"(?: (?:X-ray|(?!(?:at|in|on|of|to|the|for|and|with|by|from)\b)[a-z][\w-]*)){0,2}"
        rxs = [rf"{name}(?: \([A-Z][\w-]*\))?{gloss} (?P<head>{LOWER_HEADS})\b",
               rf"{name}, (?:the|a|an) (?:[\w-]+ ){{0,3}}?(?P<head>{LOWER_HEADS})\b",
               # "the research vessel RV Celtic Explorer", "the supercomputer Fugaku"
               rf"\b(?:the|a|its|their) (?P<head>research vessel|vessel|supercomputer|telescope|"
               rf"satellite|rover|spacecraft|quantum computer) {name}(?=[,.;:)]| (?:[a-z]|in\b))"]
        for rx in rxs:
            for m in re.finditer(rx, self.text):
                head, found = m.group("head"), m.group("name")
                found = re.sub(r" X-ray$", "", found)  # "the PAL-XFEL X-ray free-electron laser"
                if (found in self.names or _TITLE.search(found) or classify(found)[0]
                        or self._generic_lead(found, head) or self.gaz.country_of(found)
                        or re.search(r"\d\s$", self.text[:m.start("name")])):
                    continue  # (nor "the 3 GeV synchrotron": a quantity, no name)
                owned = re.match(r"[A-Z][\w*-]*(?:’s|'s) (?=[A-Z])", found)
                shift = owned.end() if owned else 0  # "ASI's COSMO-SkyMed constellation": the
                found = found[shift:]  # owner is a name of its own
                cls = next((c for h, c in _LOWER_CLASSES if re.search(h, head)),
                           "ResearchFacility")
                if re.search(r"telescope|observatory", head) and re.search(
                        rf"\b(?:in|at|near|outside) {re.escape(found)}\b", self.text):
                    # "the 32-metre Kuntunse telescope" of "... in Kuntunse, outside Accra": named
                    # after the place it is at, which keeps its own name
                    out.append(self.mention(m.start("name"), m.end("head"), cls))
                    continue
                if cls == "ResearchFacility" and "neutrino" in self.text[m.start():m.end() + 200]:
                    cls = "NeutrinoExperiment" if "experiment" in head else cls
                first = self.mention(m.start("name") + shift,
                                     m.start("name") + shift + len(found), cls)
                out.append(first)
                # the name again, wherever the text repeats it ("for Japan’s participation in
                # EISCAT_3D")
                for ref in whole_words(self.text, found):
                    if ref.start() != first.start:
                        out.append(Mention(ref.start(), ref.end(), found, cls, first.key,
                                           first.linked, first.label, {}))
        return out

    def name_mentions(self) -> list[Mention]:
        """Capitalised names with a head word, trimmed of a possessive or "The" in front and of
        a place after the head ("... Arrangement in Tokyo")."""
        out = []
        for start, end in self.runs():
            raw = self.text[start:end]
            if _TITLE.search(raw) and self._person_split(raw):
                continue  # a title and a name: the person pass reads it
            offset, country = 0, None
            while (w := re.match(r"(\w+),? ", raw[offset:])) and w.group(1) in _FUNCTION_WORDS \
                    and w.group(1) not in ("The", "the"):
                offset += w.end()  # "When the Rubin Observatory starts"
            verb = re.search(r"\b(?:Signs?|Sign(?:ed|ing)|Agree|Agrees|Launch|Launches|Extends?|"
                             r"Renews?|Inks?|Seals?|Adopts?|Concludes?) ", raw)
            if verb:  # a title-case headline: "METI Signs Memorandum of Cooperation on X"
                offset = verb.end()  # ("Signing for the Department was ...": no name)
                offset += len(re.match(r"(?:(?:for|with|by|of|on|in|at) )*", raw[offset:])[0])
            co = _COORDINATED.match(raw[offset:])
            if co and self._coordinated_ok(co.group(1), raw[offset + co.end():]):
                offset += co.end()  # "Alberta Innovates and Japan’s New Energy ...": the second
            while True:  # "Japan’s Moonshot R&D Programme", "The UK Science ... Framework"
                m = re.match(r"(?:(The|the) |([\w.*–-]+(?:’s|'s)) |([\w.]+ and [\w.]+’s) |"
                             r"((?:[A-Z]\w+ )*[A-Z]\w*s’|(?:[A-Z][\w.-]* (?:of |for )?)+"
                             r"[A-Z][\w.-]*(?:’s|'s)) )", raw[offset:])
                if not m:
                    break
                if m.group(2) or m.group(3) or m.group(4):
                    owner = (m.group(2) or m.group(3) or m.group(4)).split(" and ")[-1]
                    country = self.gaz.country_of(owner.rstrip("’"))
                offset += m.end()
            name = raw[offset:]
            # drop a known entity or acronym joined by "and": "UKRI and Japan’s New Energy ..."
            while (m := re.match(r"(.+?) and ", name)) and (m.group(1) in self.names or
                                                           re.fullmatch(r"[A-Z]{2,}", m.group(1))):
                offset += m.end()
                name = raw[offset:]
            # "the Dutch Ministry of ...": the ministry of that country, named without it
            demonym = re.match(r"([A-Z][a-z]+) (?=(?:Federal )?(?:Ministry|Department) "
                               r"(?:of|for) )", name)
            bare = 0
            if demonym and self.gaz.country_of(demonym.group(1)) and \
                    demonym.group(1) not in self.names:
                country = self.gaz.country_of(demonym.group(1))
                bare = demonym.end()
            office = re.match(rf"(?:{P.TITLE_WORDS})(?: General)? of (?:the )?", name)
            if office:  # "Head of the Australian Space Agency": the agency
                offset += office.end()
                name = raw[offset:]
                # "Director General of Oil and Gas of the Ministry of X": the ministry
                unit = re.match(r"(?:[A-Z][\w&-]* (?:and |& )?)+(?:of|for) (?:the )?"
                                r"(?=(?:Federal )?(?:Ministry|Department) (?:of|for) )", name)
                if unit:
                    offset += unit.end()
                    name = raw[offset:]
            cls, head_end = classify(name)
            if cls is None or cls == "Government":
                continue  # governments are read by governments()
            if cls == "ResearchFacility" and self._observatory_body(name):
                cls = "ResearchInstitute"
            # "Korea Superconducting Tokamak Advanced Research (KSTAR)", "Korea Institute of
            # Science and Technology Information (KISTI, President A)": all of it
            acr = re.match(r" \(([A-Z][A-Za-z0-9&*-]*[A-Z0-9])[),]", self.text[end:end + 20])
            if not (acr and _initials(acr.group(1), name)):
                name = self._trim_tail(name, head_end)
            if "facility" in groups([cls]):  # "Vera C. Rubin Observatory on Cerro Pachón"
                name = re.sub(r" (?:on|at|near) [A-Z].*$", "", name)
            if "agreement" in groups([cls]):  # "signed the Protocol for the Government of X"
                name = re.sub(r" (?:for|on behalf of|in the name of) the (?:Government|"
                              r"Ministry|Department)\b.*$", "", name)
            if (office or verb) and HEAD_WORDS.fullmatch(name):
                continue  # "Minister of University and Research": no university; "Signing
                # for the Department was": the department named before
            words = set(re.findall(r"[^\s,]+", name))
            if name in self.names or len(name) < 3 or (
                    words <= P.NOT_NAMES | {"of", "for", "and", "the"} and not words & _ORG_NOUNS):
                continue  # the gazetteer pass has it
            s = start + offset
            if bare and cls == "Ministry":
                out.append(self.mention(s, s + len(name), cls, name[bare:], country=country))
                continue
            short = re.fullmatch(r"(.+) ([A-Z]{2,6})", name)
            # "Fraunhofer Institute for Solar Energy Systems ISE": the acronym after the name
            # is not part of it
            if short and classify(short.group(1))[0] and _initials(short.group(2),
                                                                     short.group(1)):
                out.append(self.mention(s, s + len(name), cls, short.group(1), country=country,
                                        acronym=short.group(2)))
                continue
            out.append(self.mention(s, s + len(name), cls, name, country=country))
        return out

    def _observatory_body(self, name: str) -> bool:
        """Whether an observatory's name is an institution's ("South African Astronomical
        Observatory", "National Astronomical Observatories of China", "European Gravitational
        Observatory") rather than a site's ("Roque de los Muchachos Observatory")."""
        if not re.search(r"\bObservator(?:y|ies)\b", name):
            return False
        words = name.split(" ")
        return ("Observatories" in words or words[0] in ("National", "European", "International")
                or bool(self.gaz.country_of(words[0]))
                or bool(self.gaz.country_of(" ".join(words[:2]))))

    def _coordinated_ok(self, first: str, rest: str) -> str | None:
        """The class of ``first`` in "FIRST and (the |X’s )REST" when REST names an
        organisation and FIRST is a name of its own without a head word (one the gazetteer
        does not know, no country, office or field): "Alberta Innovates and Japan’s New Energy
        and Industrial Technology Development Organization (NEDO) signed" names two agencies."""
        rest = re.sub(r"^(?:the |[\w.–-]+(?:’s|'s) )", "", rest)
        cls = classify(rest)[0]
        words = first.split(" ")
        if (cls not in _COORDINATED_CLASSES or first in self.names or HEAD_WORDS.search(first)
                or _TITLE.search(first) or self.gaz.country_of(first)
                or words[0] in _FUNCTION_WORDS or all(w in P.NOT_NAMES for w in words)
                or any(self.gaz.country_of(w) for w in words)):
            return None
        return cls

    def coordinated(self, people: list[tuple[int, int]]) -> list[Mention]:
        """Organisations with no head word, named beside one that has one ("Alberta
        Innovates and Japan’s New Energy and Industrial Technology Development Organization"),
        here and wherever the text repeats the name."""
        out = []
        for start, end in self.runs():
            raw = self.text[start:end]
            co = _COORDINATED.match(raw)
            if not co or any(s <= start < e for s, e in people):
                continue
            cls = self._coordinated_ok(co.group(1), raw[co.end():])
            if cls is None:
                continue
            name = co.group(1)
            for ref in whole_words(self.text, name):
                out.append(self.mention(ref.start(), ref.end(), cls, name))
        return out

    def office_bodies(self, people: list[Mention]) -> list[Mention]:
        """Bodies with no head word named by their heads' offices ("KU Leuven Rector X",
        "RIKEN Executive Director Y"): an organisation (a university for a rector, principal,
        provost or vice-chancellor) when the text also names it alone ("McGill and KU Leuven
        join forces", "Japan's RIKEN"), here and wherever the text repeats the name."""
        out = []
        for post in people:
            owner = P.title_owner(post.text) if post.cls == "Post" else None
            if (owner is None or not P.HEAD_OF_BODY.search(post.text) or owner in self.names
                    or f"({owner})" in self.text  # the acronym of a body named in full
                    or HEAD_WORDS.search(owner) or owner.split(" ")[0] in _FUNCTION_WORDS
                    or any(self.gaz.country_of(w) for w in [owner, *owner.split(" ")])
                    or not any(m.start() != post.start for m in whole_words(
                        self.text, owner, r"\w*-", " [A-Z(]"))
                    or (self._named_longer(owner) and not re.search(
                        rf"\b[A-Z][\w-]*(?:’s|'s) {re.escape(owner)}\b", self.text))):
                continue  # "SOLARIS Director" of the "SOLARIS National ... Centre" (but
                # "Japan's RIKEN" beside the "RIKEN Center for Computational Science")
            cls = "University" if _ACADEMIC_HEADS.search(post.text) else "Organisation"
            self.bodies.add(owner)
            out += [self.mention(ref.start(), ref.end(), cls, owner) for ref in whole_words(
                self.text, owner, r"\w*-")]
        return out

    def country_named_bodies(self) -> list[Mention]:
        """Bodies whose name ends with their country's, the way Canada names its agencies
        ("Polar Knowledge Canada", "Natural Resources Canada"), where the text makes them act
        ("... Canada commits", "operated by ... Canada")."""
        out = []
        rx = rf"(?<![\w-])((?:{_W} (?:and )?){{1,4}}({P.UP}[\w-]+))(?= (?:will|would|commits?|" \
             r"committed|has|have|is|are|was|operates?|runs?|funds?|provides?|invests?|said|" \
             r"signed)\b)|(?<=\bby )((?:{_W} (?:and )?){{1,4}}({P.UP}[\w-]+))(?=[,.;]| and\b)"
        for m in re.finditer(rx, self.text):
            name, last = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            words = name.split(" ")[:-1]
            if (not self.gaz.country_of(last) or name in self.names or HEAD_WORDS.search(name)
                    or _TITLE.search(name) or words[0] in _FUNCTION_WORDS | _DIRECTIONS
                    or any(self.gaz.country_of(w) or w in CONTINENTS for w in words)
                    or self.gaz.country_of(name)):
                continue
            out += [self.mention(ref.start(), ref.end(), "Agency", name) for ref in whole_words(
                self.text, name)]
        return out

    def _named_longer(self, owner: str) -> bool:
        """Whether the text names a body whose name starts with ``owner`` and has a head word
        ("SOLARIS National Synchrotron Radiation Centre" for "SOLARIS")."""
        return any(classify(run)[0] for run in re.findall(
            rf"(?<![\w*-]){re.escape(owner)} {RUN.pattern}", self.text))

    def _trim_tail(self, name: str, head_end: int) -> str:
        name = re.sub(rf" (?:on|in|by|from|since|until) (?:(?:{WEEKDAY}|{MONTH}|\d)\b.*|"
                      rf"(?:the )?(?:First|Next|Last)\b.*)$", "", name)
        tail = name[head_end:]
        if re.fullmatch(r" (?:\d+(?:\.\d+)?|[IVX]+|[A-Z]\d*)", tail):
            return name  # "Deep Space Station 43", "Arctic Challenge for Sustainability III"
        if re.match(_FOREIGN_HEADS, name[:head_end].split(" ")[-1]):
            return name  # "Gran Telescopio Canarias": the head comes first
        if re.match(r" [A-Z][\w-]+ für ", tail):
            return name  # "Helmholtz-Zentrum Berlin für Materialien und Energie"
        if head_end == len(name) or not re.match(
                r" (?:of|for|on|to|between|in Science|in Research|de|del|de la|della|di|du|des|"
                r"für|do|da|dos|per|pour|para)\b", tail):
            return name[:head_end]
        m = re.search(r" in ([A-Z][\w-]*(?: [A-Z][\w-]*)?)$", tail)
        if m and (m.group(1) in self.names or " " not in m.group(1)
                  or re.fullmatch(r"The [A-Z][\w-]*", m.group(1))):  # "... in The Hague"
            tail = tail[:m.start()]
        return name[:head_end] + tail

    def _person_split(self, run: str, titled: bool = True) -> tuple[str, str] | None:
        """Split "UK Science Minister George Freeman" into (title, name), or None."""
        tokens = run.split(" ")
        name: list[str] = []
        for token in reversed(tokens):
            if (re.fullmatch(P.PARTICLE, token) or token in _PARTICLE_PARTS) and name:
                name.insert(0, token)
                continue
            if (token in P.NOT_NAMES or not re.fullmatch(P.NAME_WORD, token)
                    or HEAD_WORDS.fullmatch(token) or token in self.names
                    or self.gaz.country_of(token)
                    or sum(not re.fullmatch(P.PARTICLE, t) and t not in _PARTICLE_PARTS
                           for t in name) == 4  # ("Isabel Moreno de la Fuente": three words)
                    or _CALENDAR_WORD.fullmatch(token)):
                break
            name.insert(0, token)
        while name and re.fullmatch(P.PARTICLE, name[0]):
            name.pop(0)
        title = " ".join(tokens[:len(tokens) - len(name)])
        title = re.sub(rf"(?:(?:^|,? ){P.HONORIFIC})+$", "", title)  # "CSIRO Chief Executive Dr"
        if len(name) < 2 or not title or (titled and not P.TITLE.search(title)) or \
                not P.name_ok(" ".join(name), set()):
            return None
        return title, " ".join(name)

    def people(self) -> list[Mention]:
        """People after a title, with the title as a post: "Canada’s Minister of Innovation,
        Science and Industry Daniel Okafor" gives a person, a post and the post's country; a
        run is cut at " and " where the words before it end with a name."""
        out = []
        for start, end in self.runs():
            # "Minister for Science Niamh Ní Dhonnchadha TD signed": letters after the name
            raw = re.sub(rf",? {P.POSTNOMINAL}$", "", self.text[start:end])
            end = start + len(raw)
            last = raw.split(" ")[-1]
            ext = re.match(rf" {P.PARTICLE} {P.NAME_WORD}(?=[\s,.;:)]|$)", self.text[end:])
            if ext and re.fullmatch(P.NAME_WORD, last) and last not in P.NOT_NAMES:
                raw += ext.group(0)  # "... Science Maarten van den Heuvel": a lower-case
                # particle ends the capitalised run, not the name
            left = 0
            first = re.search(" and ", raw)
            opened = re.search(rf"(?:^|\s){P.HONORIFIC} $", self.text[max(0, start - 30):start])
            if first and opened and P.name_ok(raw[:first.start()], set()):
                left = first.end()  # "Dr. Marisol Quintero-Haines and STFC Executive Chair
                # Professor X": the run starts with a name an honorific opens, not a title
            for m in [*re.finditer(" and ", raw), None]:
                if m is not None and m.start() < left:
                    continue
                right = m.start() if m else len(raw)
                split = self._person_split(raw[left:right])
                cut = raw.rfind(" of ", left, right)
                tail = raw[cut + 4:right].removeprefix("the ")
                if split is None and cut > left and (re.fullmatch(r"[A-Z]{2,}\w*", tail)
                                                     or tail in self.names or classify(tail)[0]):
                    # "Director General for International Cooperation Park Ji-won of MSIT"
                    split = self._person_split(raw[left:cut])
                if split:
                    out.extend(self._person(start + left, split))
                    left = m.end() if m else right
                elif left == 0 and (listed := self._listed_title(start, raw[:right])):
                    out.extend(self._person(*listed))
                    left = m.end() if m else right
        return out

    def _listed_title(self, start: int, run: str) -> tuple[int, tuple[str, str]] | None:
        """A name right after a title whose words a comma list splits from it: in "Minister of
        Education, Culture and Science Maarten van den Heuvel" the run "Culture and Science
        Maarten van den Heuvel" ends with a name, and the title begins before the commas."""
        if self.text[start - 2:start] != ", ":
            return None
        split = self._person_split(run, titled=False)
        if split is None:
            return None
        line = self.text.rfind("\n", 0, start) + 1
        n_start = start + len(split[0]) + 1
        found = P.title_before(self.text, n_start - 1, max(line, start - 200))
        if found is None:
            return None
        lo = found[0]
        # "At a ceremony in Government Buildings, Minister for ...": the title after the comma
        lo += next((c.end() for c in re.finditer(r", ", self.text[lo:start])
                    if not P.TITLE.match(self.text[lo:start]) and P.TITLE.match(
                        self.text, lo + c.end())), 0)
        title = self.text[lo:start]
        if lo >= start or re.search(r"\d|\.", title) or (" and " in title and (
                not P.TITLE.match(title) or any(self._person_split(title[:a.start()])
                                                for a in re.finditer(" and ", title)))):
            return None  # "X. Whitfield and Brazilian Minister of ..., Innovation Luiza ...",
            # "Minister of X, Y and Z A B and Minister of ...": no (but "Minister for Further
            # and Higher Education, Research, ...": one title)
        return lo, (self.text[lo:n_start - 1], split[1])

    def listed_people(self) -> list[Mention]:
        """People after "Title, " or an honorific, with the title before or after them:
        "Korea’s Minister of Science and ICT, Yoo Sang-hyun", "Dr. Meenakshi Iyer, Secretary,
        Department of Biotechnology"."""
        out: list[Mention] = []
        seen: set[int] = set()
        # a name the gazetteer knows is no person's, but a known person is still read with the
        # office the text gives them ("the Minister for X, Hélène de Villiers-Marchand")
        known = {n for n, k in self.names.items()
                 if k not in self.gaz.entries or "Person" not in self.gaz.entries[k].types}
        ends = {m.end("name") for rx in (P.AFTER_COMMA, P.AFTER_HONORIFIC)
                for m in rx.finditer(self.text) if P.name_ok(m.group("name"), known)}
        for rx in (P.AFTER_COMMA, P.AFTER_HONORIFIC, P.AFTER_BY, P.AFTER_SAID):
            for m in rx.finditer(self.text):
                s, e = m.start("name"), m.end("name")
                name = m.group("name")
                if s in seen or not P.name_ok(name, known):
                    continue
                line = self.text.rfind("\n", 0, s) + 1
                lead = m.start("hon") if m.group("hon") else s
                title_end = lead - 2 if rx is P.AFTER_COMMA else lead - 1
                found = None
                if rx is P.AFTER_SAID:
                    seen.add(s)
                    out.extend(self._titled(s, e, name, P.title_after(self.text, e), None))
                    continue
                if rx is P.AFTER_BY:
                    # only an office after the name makes it a person's
                    if (span := P.title_after(self.text, e)) is not None:
                        seen.add(s)
                        out.extend(self._titled(s, e, name, span, None))
                    continue
                if title_end > line and (rx is P.AFTER_COMMA or self.text[title_end] == " "):
                    found = P.title_before(self.text, title_end, max(line, title_end - 300))
                if found is not None:
                    found = self._after_named(found, title_end, ends)
                span = (found[0], title_end) if found else P.title_after(self.text, e)
                if span is None and not m.group("hon"):
                    continue
                seen.add(s)
                out.extend(self._titled(s, e, name, span, found[1] if found else None))
        return out

    def bracketed_people(self) -> list[Mention]:
        """People each followed by their country and office in brackets, as a list of signers
        gives them: "Mikkel Holst Andersen (Denmark, Minister for Higher Education and
        Science), Mari-Liisa Korhonen (Finland, Minister of Science and Culture) and ..."."""
        out = []
        for m in re.finditer(rf"(?P<name>{P.NAME}) \((?P<where>[A-Z][\w’' .-]+?), "
                             r"(?P<title>[^()\n]{3,120}?)\)", self.text):
            country = self.gaz.country_of(m.group("where"))
            if not (country and _TITLE.search(m.group("title"))
                    and P.name_ok(m.group("name"), set())):
                continue
            person = self.mention(m.start("name"), m.end("name"), "Person",
                                  P.label_of(m.group("name")))
            post = self._post(m.start("title"), m.group("title"), country)
            person.info.update(post=post.key, country=country,
                               title_span=(m.start("title"), m.end("title")))
            post.info["person"] = person.key
            out += [person, post]
        return out

    def _after_named(self, found: tuple[int, str | None], title_end: int,
                     ends: set[int]) -> tuple[int, str | None] | None:
        """A title read back over "Title A Name A and Title B" starts after the "and" that
        follows a person's name: in "HZB Scientific Director Prof. Dr. Bernd von der Heide and
        SOLARIS Director Prof. Agnieszka Wróbel-Nowak" the second title is "SOLARIS
        Director", and in "Alberta Innovates Chief Executive Officer Daniel Okoro-Lambert and
        NEDO Executive Director Mr. FUJIMOTO Ryo" it is "NEDO Executive Director"."""
        start, possessor = found
        for m in reversed(list(re.finditer(r" and (?:the )?", self.text[start:title_end]))):
            before = self.text[start:start + m.start()]
            if start + m.start() in ends or self._person_split(before):
                rest = self.text[start + m.end():title_end]
                if not P.TITLE.search(rest):
                    return None
                return start + m.end(), possessor
        return found

    def _titled(self, s: int, e: int, name: str, span: tuple[int, int] | None,
                possessor: str | None) -> list[Mention]:
        person = self.mention(s, e, "Person", P.label_of(name))
        country = self.gaz.country_of(possessor) if possessor else None
        party = re.match(r",? for (?:the )?([A-Z][\w’ -]+?)(?=[;,.]| and\b|$)",
                         self.text[e:e + 60])
        if party and self.gaz.country_of(party.group(1)):
            country = self.gaz.country_of(party.group(1))
        out = [person]
        if span:
            title = self.text[span[0]:span[1]]
            country = country or self._country_in(title)
            # "X, Secretary, Ministry of Earth Sciences (MoES), Government of India, and ...":
            # the country that closes the office after the name
            closing = re.match(r"(?: \([A-Z][\w-]*\))?, (?:the )?(?:Government of (?:the )?)?"
                               r"([A-Z][\w’ -]+?)(?=[;,.)]| and\b|$)",
                               self.text[span[1]:span[1] + 80])
            if not country and span[0] > e and closing:
                country = self.gaz.country_of(closing.group(1))
            # "X, Secretary of Science and Technology, for the Philippines": the party
            # (past the rest of a title with commas: "Minister of Higher Education, Science,
            # Research and Innovation, for Thailand")
            behalf = re.match(r"(?:,? (?:and )?[A-Z][\w’-]*(?: [A-Z][\w’-]*)*)*,? "
                              r"(?:signed |signing )?for (?:the )?"
                              r"([A-Z][\w’ -]+?)(?=[;,.]| and\b|$)",
                              self.text[span[1]:span[1] + 100])
            if span[0] > e and behalf and self.gaz.country_of(behalf.group(1)):
                country = self.gaz.country_of(behalf.group(1))
            post = self._post(span[0], title, country)
            held = self._held_post(person, title)
            if held is not None:
                post.key, post.label, post.linked = held.key, held.label, True
                country = country or self._country_of_post(held.label)
            person.info["post"] = post.key
            post.info["person"] = person.key
            person.info["title_span"] = span
            out.append(post)
        if possessor and not country:
            person.info["possessor"] = possessor
        person.info["country"] = country
        return out

    def _held_post(self, person: Mention, title: str) -> Known | None:
        """The office a person the graph knows holds there, when the text's title names it:
        "the Minister of University and Research of the Italian Republic, Giulia Ferraresi"
        is the graph's "Minister of University and Research (Italy)" that she holds."""
        known = self.gaz.entries.get(person.key) if person.linked else None
        words = set(re.findall(r"[\w’'-]+", title)) - set(P._CONNECTORS)
        for key in known.posts if known else ():
            post = self.gaz.entries.get(key)
            bare = re.sub(r" \([^()]+\)$", "", post.label) if post else ""
            if bare and set(re.findall(r"[\w’'-]+", bare)) - set(P._CONNECTORS) <= words:
                return post
        return None

    def _country_of_post(self, label: str) -> str | None:
        """"Minister for Higher Education and Research (France)": the country in parentheses."""
        q = re.search(r"\(([^()]+)\)$", label)
        return self.gaz.country_of(q.group(1)) if q else None

    def _country_in(self, title: str) -> str | None:
        for w in re.findall(r"[\w’'.-]+", title):
            if w[0].isupper() and self.gaz.country_of(w):
                return self.gaz.country_of(w)
        m = re.search(r"\b(?:of|to) (?:the )?([A-Z][\w ]+?)$", title)
        return self.gaz.country_of(m.group(1)) if m else None

    def _person(self, start: int, split: tuple[str, str]) -> list[Mention]:
        title, name = split
        # "Korea’s Minister ...", "New Zealand's Minister ...": the possessive names the country
        m = re.match(r"(?:(?:The|the) )?(?:((?:[A-Z][\w.–-]* )?[\w.–-]+)(?:’s|'s) )?", title)
        if m.group(1) and " " in m.group(1) and not self.gaz.country_of(m.group(1)):
            m = re.match(r"(?:(?:The|the) )?(?:([\w.–-]+)(?:’s|'s) )?", title)
        country = self.gaz.country_of(m.group(1)) if m.group(1) else None
        t_start = start + m.end()
        title = self.text[t_start:start + len(title)]
        # the name after the title and any honorific the split dropped ("Chair Professor X")
        n_start = self.text.index(name, start + len(split[0]))
        person = self.mention(n_start, n_start + len(name), "Person", P.label_of(name))
        if title:
            person.info["title_span"] = (t_start, t_start + len(title))
        country = country or self._country_in(title)
        out = []
        if title:
            post = self._post(t_start, title, country)
            person.info["post"] = post.key
            post.info["person"] = person.key
            out.append(post)
        person.info["country"] = country
        out.append(person)
        return out

    def _post(self, start: int, title: str, country: str | None) -> Mention:
        post = self.mention(start, start + len(title), "Post", country=country)
        other = self._country_of_post(post.label) if post.linked else None
        if other and other != country:
            # "Minister of Science, Technology and Innovation" is not Malaysia's office because
            # the gazetteer knows that one: an office qualified by another country is another
            post.linked = False
            post.label = title
            post.key = slug(title) if slug(title) not in self.gaz.entries else slug(title + " post")
        if not post.linked and country and not self.gaz.country_of(title.split(" ")[0]):
            bare = re.match(r"(.+?),? (?:of|to) (?:the )?([A-Z][\w ]+)$", title)
            if bare and self.gaz.country_of(bare.group(2)) == country:
                title = bare.group(1)
            label = f"{title} ({self.gaz.entries[country].label})"
            key, linked, known = self.link(label, "Post")
            if linked and self._country_of_post(known) not in (None, country):
                key = slug(label)  # nearly the name of another country's office
            post.key, post.label = key, label
        return post

    def meetings(self) -> list[Mention]:
        """"the 11th meeting of the X Committee", "the next meeting of the Joint Committee"."""
        out = []
        rx = rf"\b(?:[Tt]he )?(?:(?:\d+(?:st|nd|rd|th)|[Nn]ext|[Ff]irst|[Ss]econd|[Tt]hird|" \
             rf"[Aa]nnual|[Ll]ast) )?[Mm]eeting of the ({RUN.pattern})"
        for m in re.finditer(rx, self.text):
            body = re.sub(r" in [A-Z][\w-]*(?: [A-Z][\w-]*)?$", "", m.group(1))
            if classify(body)[0] in ("Organisation", "Agency", "FundingBody"):
                label = f"Meeting of the {body}"
                end = m.start(1) - len(" of the ")  # the body stays a mention of its own
                out.append(Mention(m.start(), end, self.text[m.start():end], "Meeting",
                                   slug(label), False, label, {"generic": True}))
        # "The first India–Malaysia Joint Working Group meeting on Science and Technology", "met
        # at the EU–Japan Joint Science and Technology Cooperation Committee": a body's meeting
        rx = rf"\b(?:[Tt]he (?P<ord>(?:first|second|third|next|annual|inaugural) )?" \
             rf"(?P<body>{RUN.pattern}) meeting(?P<on> on {_W}(?: (?:and|of) {_W}| {_W})*)?" \
             rf"|\b(?P<met>met )?at the (?P<body2>{RUN.pattern}))"
        for m in re.finditer(rx, self.text):
            raw = m.group("body") or m.group("body2")
            body = re.sub(r" in [A-Z][\w-]*(?: [A-Z][\w-]*)?$", "", raw)
            if m.group("body2") and not m.group("met"):
                # "discussed the plan at the X Committee in Seoul in June": a committee where
                # and when something happened is one of its meetings
                body = re.sub(rf"(?: in (?:{MONTH})(?: \d{{4}})?| in [A-Z][\w-]*"
                              r"(?: [A-Z][\w-]*)?)+$", "", raw)
                if body == raw:
                    continue
            if classify(body)[0] != "Organisation" or not re.search(
                    r"\b(?:Committee|Commission|Working Group|Board of \w+|Council)\b", body):
                continue
            lo = m.start() if m.group("body") else m.start("body2")
            hi = m.end() if m.group("body") else m.start("body2") + len(body)
            label = f"Meeting of the {body}"
            out.append(Mention(lo, hi, self.text[lo:hi], "Meeting", slug(label), False, label,
                               {"body": self.mention(m.start("body") if m.group("body") else
                                                     m.start("body2"),
                                                     (m.start("body") if m.group("body") else
                                                      m.start("body2")) + len(body),
                                                     "Organisation", body)}))
        # "the 10th Korea-Netherlands Joint Committee on ...", "The 11th Joint Committee": a
        # committee with an ordinal is one of its meetings
        found = []
        rx = rf"(?P<ord>\d+(?:st|nd|rd|th)|{_ORDINALS}) (?P<body>{RUN.pattern})"
        for m in re.finditer(rx, self.text):
            body = re.sub(r" in [A-Z][\w-]*(?: [A-Z][\w-]*)?$", "", m.group("body"))
            if re.search(r"\b(?:Committee|Commission)(?: on [A-Z][\w ,-]*)?$", body) \
                    and classify(body)[0] == "Organisation":
                found.append((m, body))
        full = [b for _, b in found if " " in b.removeprefix("Joint ")]
        owners: dict[str, Mention] = {}
        for m, body in found:
            # the longest name of the same committee ("Joint Committee" in "The 11th Joint
            # Committee" is the Korea-Netherlands one named before)
            name = max((b for b in full if body in b or b in body), key=len, default=None)
            if name is not None and name not in owners:
                at = next(x for x, b in found if b == name)
                owners[name] = self.mention(at.start("body"), at.start("body") + len(name),
                                            "Organisation", name)
            owner = owners.get(name)
            end = m.start("body") + len(body)
            label = f"{m.group('ord')} {owner.label if owner else body}"
            out.append(Mention(m.start(), end, self.text[m.start():end], "Meeting", slug(label),
                               False, label, {"body": owner, "ordinal": m.group("ord")}))
        return out

    def governments(self) -> list[Mention]:
        """"the UK government", "the Japanese Government", "the Government of Canada"."""
        out = []
        cap = r"[A-Z][\w’-]*"
        rx = (rf"\b([A-Z][\w.]+) [Gg]overnment\b|"
              rf"\bGovernment of (?:the )?({cap}(?:(?: of| of the| and)? {cap})*)")
        for m in re.finditer(rx, self.text):
            words = (m.group(1) or m.group(2)).split(" ")
            country = next((c for i in range(len(words))  # "the Kingdom of Norway": Norway
                            if (c := self.gaz.country_of(" ".join(words[i:])))), None)
            if country is None:
                continue
            known = self.gaz.entries[country]
            key = known.government or f"government-of-{country}"
            gov = self.gaz.entries.get(key)
            out.append(Mention(m.start(), m.end(), m.group(0), "Government", key, gov is not None,
                               gov.label if gov else f"Government of {known.label}",
                               {"country": country}))
        home = self.home()
        if home:  # "The Government will invest": the government of the text's own country
            known = self.gaz.entries[home]
            key = known.government or f"government-of-{home}"
            gov = self.gaz.entries.get(key)
            for m in re.finditer(r"\b[Tt]he Government\b(?! of)", self.text):
                out.append(Mention(m.start(), m.end(), m.group(0), "Government", key,
                                   gov is not None,
                                   gov.label if gov else f"Government of {known.label}",
                                   {"country": home, "resolved": f"\"{m.group(0)}\" in a text "
                                    f"from {known.label} is its government"}))
        return out

    def home(self) -> str | None:
        """The country a text is from: its dateline city's, if the gazetteer knows it."""
        m = re.search(rf"^({P.UP}[\w-]+(?: {P.UP}[\w-]+)?), (?:\d{{1,2}} )?(?:{MONTH})\b",
                      self.text[:600], re.MULTILINE)
        key = m and (self.names.get(m.group(1)) or self.names.get(m.group(1).title()))
        known = self.gaz.entries.get(key) if key else None
        return known.country if known and "City" in known.types else None

    def titles_alone(self) -> list[Mention]:
        """Posts named without a person: "the Prime Minister’s five key priorities"."""
        rx = re.compile(rf"\b(?:the|The) ((?:[A-Z][\w-]* )*(?:{TITLES})(?: (?:of|for) "
                        rf"(?:the )?{_W}(?: {_W})*)?)(?=’s|'s|\b)(?! [A-Z])")
        return [self._post(m.start(1), m.group(1), None) for m in rx.finditer(self.text)
                if m.group(1) not in ("Minister", "President", "Director")]

    def places(self) -> list[Mention]:
        """Places the gazetteer lacks: "the Japanese city of X", "signed ... in X", datelines."""
        out = []
        for m in re.finditer(r"\bcity of ([A-Z][\w-]+)", self.text):
            out.append(self.mention(m.start(1), m.end(1), "City"))
        for m in re.finditer(rf"^([A-Z][\w-]+(?: [A-Z][\w-]+)?), (?:\d{{1,2}} )?(?:{MONTH})\b",
                             self.text, re.MULTILINE):
            out.append(self.mention(m.start(1), m.end(1), "City", dateline=True))
        for m in re.finditer(rf"^([A-Z][A-Z-]+(?: [A-Z][A-Z-]+)?),(?: [A-Z]{{2,3}},)? (?:{MONTH}|"
                             r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?:\.| \d)|\d)",
                             self.text, re.MULTILINE):
            # a wire dateline: "SEOUL, June 13 (...) --", "CALGARY, AB, Feb. 4, 2025 /CNW/ -",
            # "NEW DELHI, Mar 6 (...) -"
            out.append(self.mention(m.start(1), m.end(1), "City", m.group(1).title(),
                                    dateline=True))
        kinds = {n: self.gaz.entries[k].types for n, k in self.names.items()}
        for m in re.finditer(rf"\b({P.UP}[\w-]+(?: {P.UP}[\w-]+)?), ({P.UP}[\w ]+?)(?=[,.;:)]|"
                             r" (?:and|on|in|for|to|where|which)\b|\n|$)", self.text):
            where = kinds.get(m.group(2), ())
            if m.group(1) not in self.names and "City" in where and not set(
                    m.group(1).split()) & (P.NOT_NAMES | _FUNCTION_WORDS | _ORG_NOUNS):
                out.append(self.mention(m.start(1), m.end(1), "Place"))  # "Anusandhan Bhawan,
                continue  # New Delhi": a building or campus in a city
            if (m.group(1) not in self.names and {"Region", "Country"} & set(where)
                    and not HEAD_WORDS.search(m.group(1))
                    and not set(m.group(1).split()) & (P.NOT_NAMES | _FUNCTION_WORDS)):
                out.append(self.mention(m.start(1), m.end(1), "City"))  # "Sudbury, Ontario"
        for m in re.finditer(rf"\b(?:Cerro|Mount|Mont|Monte|Mt\.) {P.UP}[\w-]+|{P.UP}[\w-]+ "
                             rf"(?:Campus|Mine|Science Park|Research Park|House|Hall|Palace|"
                             rf"Bhavan|Bhawan)\b", self.text):  # "Parliament House"
            out.append(self.mention(m.start(), m.end(), "Place"))
        for m in re.finditer(rf"\b{P.UP}[\w-]+ (?:Desert|Basin|Peninsula|Plateau|Valley|Prefecture|"
                             rf"Province|Oblast|County)\b|\bCounty {P.UP}[\w-]+", self.text):
            out.append(self.mention(m.start(), m.end(), "Region"))
        for m in _PLACE_AFTER.finditer(self.text):
            word = m.group(2)
            before = re.split(r"[.!?]\s", self.text[max(0, m.start() - 160):m.start()])[-1]
            prev = re.search(r"(\S+) $", before)
            # "Yesterday in Rio de Janeiro, ..., X and Y signed": where a signing sentence opens
            opening_signed = len(before.split("\n")[-1]) < 40 and re.match(
                r"[^.]{0,300}\bsigned\b", self.text[m.end():])
            inside_name = (prev and prev.group(1) in _TOPIC_WORDS and re.match(  # "Cooperation
                r"(?:,| and) [A-Z]", self.text[m.end(1):]))  # in Astronomy, Data Science and"
            if (word in self.names or _CALENDAR_WORD.fullmatch(word)
                    or re.search(r" (?:County|Province|Prefecture|Oblast)$", word)
                    or HEAD_WORDS.search(word) or _TITLE.search(word)
                    or (not _LOCATIVE.search(before) and m.group("prep") in ("in", "at", "to")
                        and not opening_signed)
                    or inside_name
                    or set(re.sub(r"^The (?=[A-Z]\w+$)", "", word).split()) & P.NOT_NAMES
                    or self.gaz.country_of(re.sub(r"^The ", "", word)) or word in CONTINENTS
                    or word in LANGUAGES):
                continue  # "signed ... in The Hague" is a city; "in The Netherlands" is not
            out.append(self.mention(m.start(2), m.end(2), "City"))
            also = re.match(rf" and ({P.UP}[^\W\d_]+)(?=[,.;:]| (?:on|in|to|for|where)\b|$)",
                            self.text[m.end(2):])
            if also and also.group(1) not in self.names.keys() | P.NOT_NAMES | CONTINENTS \
                    and not self.gaz.country_of(also.group(1)):  # "in Espoo and Kajaani"
                out.append(self.mention(m.end(2) + also.start(1), m.end(2) + also.end(1), "City"))
        for m in re.finditer(rf"\b(?:cities|towns|ports) (?:such as|like|including) "
                             rf"((?:{P.UP}[^\W\d_]+(?:, )?)+(?: and {P.UP}[^\W\d_]+)?)",
                             self.text):  # "delta cities such as Jakarta and Rotterdam"
            for w in re.finditer(rf"{P.UP}[^\W\d_]+", m.group(1)):
                if w.group(0) not in self.names and not self.gaz.country_of(w.group(0)):
                    out.append(self.mention(m.start(1) + w.start(), m.start(1) + w.end(),
                                            "City"))
        return out

    def acronyms(self, mentions: list[Mention]) -> list[Mention]:
        """"Full Name (ACR)": the acronym names the mention just before it, here and after."""
        out = []
        by_end: dict[int, list[Mention]] = {}
        for x in mentions:
            by_end.setdefault(x.end, []).append(x)
        # also "German Research Foundation (Deutsche Forschungsgemeinschaft, DFG)": the name
        # in its own language, then the acronym
        for m in re.finditer(r" \((?:[^(),;]{3,60}[,;] )?([A-Z][A-Za-z0-9&*-]*[A-Z0-9])\)",
                             self.text):
            # of the names ending there, the one whose initials it is ("Memorandum ... between
            # the Japan Society for the Promotion of Science (JSPS)": the society)
            ending = by_end.get(m.start(), [])
            # (not "Implementing Arrangement between the Indian Space Research Organisation
            # (ISRO)": the acronym of the body the title names last)
            between = [x for x in ending if " between " in x.text
                       and "agreement" in groups([x.cls])]
            ending = [x for x in ending if x not in between]
            for x in between:  # ... so a mention of that body, when the letters are its
                tail = list(re.finditer(r"\b(?:between|and) (?:the )?", x.text))[-1].end()
                cls = classify(x.text[tail:])[0]
                if cls and "agreement" not in groups([cls]) and _initials(m.group(1),
                                                                          x.text[tail:]):
                    ending.append(self.mention(x.start + tail, x.end, cls))
            named = min((x for x in ending if _initials(m.group(1), x.text)),
                        key=lambda x: len(x.text), default=None) or next(
                iter(ending), None) or next(  # "Memorandum of Understanding (MoU) on ..."
                (x for x in mentions if x.start < m.start() and m.end() < x.end
                 and "agreement" in groups([x.cls])), None)
            if named is None or named.cls in ("Person",) or named.cls in PLACES:
                continue
            acronym = m.group(1)
            named.info["acronym"] = acronym
            for ref in whole_words(self.text, acronym):
                out.append(Mention(ref.start(), ref.end(), acronym, named.cls, named.key,
                                   named.linked, named.label, {"acronym_of": named.key}))
        return out

    def surnames(self, people: list[Mention]) -> list[Mention]:
        """Later references by title and one name, or "Name said"."""
        out = []
        for person in people:
            if person.cls != "Person":
                continue
            for part in {person.text.split(" ")[0], person.text.split(" ")[-1]}:
                rx = rf"\b(?:(?:{TITLES}|Mr|Ms|Mrs) ){re.escape(part)}\b|\b{re.escape(part)}" \
                     r"(?= said| says| added| noted)"
                for m in re.finditer(rx, self.text):
                    s = m.end() - len(part)
                    out.append(Mention(s, m.end(), part, "Person", person.key, person.linked,
                                       person.label, {}))
            if len(person.text.split(" ")) >= 3:
                # the full name again, with no title ("signed by Amirul Hakim bin Rosli for
                # Malaysia" after "Dato' Seri Amirul Hakim bin Rosli, Minister of ...")
                for m in whole_words(self.text, person.text, r"\w’'-"):
                    if m.start() != person.start:
                        out.append(Mention(m.start(), m.end(), person.text, "Person",
                                           person.key, person.linked, person.label, {}))
        return out


def resolve(candidates: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions (the earliest on ties, then the one that knows
    most: a post with its holder), in text order."""
    kept: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start,
                                               -sum(v is not None for v in m.info.values()),
                                               m.key)):
        if all(m.end <= s or m.start >= e for s, e in taken):
            kept.append(m)
            taken.append((m.start, m.end))
        elif (same := next((k for k in kept if (k.start, k.end, k.key) == (m.start, m.end, m.key)),
                           None)) is not None:
            for name, value in m.info.items():  # "Canberra, 28 May 2025": the gazetteer's
                same.info.setdefault(name, value)  # city is also the dateline
    return sorted(kept, key=lambda m: (m.start, m.end))


_DESCRIBED = re.compile(
    r"\b(?P<det>[Aa]n?|[Tt]he|[Tt]his) (?:(?:new|separate|first|landmark|three-way|two-way|"
    r"bilateral|trilateral|tripartite|historic|joint|strategic|comprehensive|formal|renewed|"
    r"non-binding|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)-year) ){0,2}"
    # "a project arrangement", "an implementing arrangement": a kind of instrument
    r"(?P<kind>(?:(?:research|science|scientific) (?=coo|col))?(?:project|implementing|"
    r"cooperation|collaboration|partnership|framework|business) (?=arr|agr))?"
    r"(?P<head>memorandum of "
    r"understanding|memorandum of cooperation|memorandum|arrangement|agreement|"
    r"declaration of intent|declaration|protocol|accord|letter of intent)"
    r"(?P<topic> (?:on|for) (?!behalf\b)(?:[a-z][\w-]*|[A-Z]{2,}[\w-]*)"
    r"(?: (?:[a-z][\w-]*|[A-Z]{2,}[\w-]*))*?)?"
    r"(?= between\b| at\b| with\b| in (?:[A-Z]|\d)| since\b| that\b| which\b| signed\b| to\b|"
    r" (?:was|were|is|has|had|will|creating|establishing|setting up)\b|"
    r" on (?:[A-Z]|\d|behalf\b)| under which\b| \([A-Z]|"
    r"[,.;:)])")
# "cooperated under a science and technology agreement since 1976": what it is about first
_DESCRIBED_UNDER = re.compile(
    r"\bunder (?P<what>(?:an?|the) (?:[a-z][\w-]* ){1,5}?(?:agreement|accord))"
    r"(?= since\b| signed\b| of \d{4}\b| from \d{4}\b|[,.;:])")
_DESCRIBED_CLASS = {"memorandum of understanding": "MemorandumOfUnderstanding",
                    "memorandum of cooperation": "MemorandumOfUnderstanding",
                    "memorandum": "MemorandumOfUnderstanding", "arrangement":
                    "ImplementingArrangement", "declaration": "JointStatement",
                    "letter of intent": "NonBindingAgreement",
                    "declaration of intent": "NonBindingAgreement"}


_DESCRIBED_BODY = re.compile(
    r"\b(?:[Aa]n?|[Tt]he) (?P<what>joint (?:[a-z][\w-]+ )?(?:working group|committee|commission|"
    r"task force|steering committee|steering group)(?: on [a-z][\w-]*(?: (?:and )?[a-z][\w-]*)"
    r"{0,4}?)?)(?=[,.;:]| will\b| to\b| every\b| each\b| which\b| that\b| chaired\b| led\b|"
    r" meets?\b| in\b| under\b| with\b)")


def _described(finder: Finder, pattern: re.Pattern, cls: str) -> list[Mention]:
    """A mention of class ``cls`` for each match of ``pattern``'s group ``what``, its label
    the words matched with a capital first letter."""
    return [finder.mention(m.start("what"), m.end("what"), cls,
                           m.group("what")[0].upper() + m.group("what")[1:])
            for m in pattern.finditer(finder.text)]


def described_bodies(finder: Finder) -> list[Mention]:
    """Joint bodies the text describes: "A joint hydrogen working group, chaired by ...", "hold
    a joint committee on science and technology every two years"."""
    out = _described(finder, _DESCRIBED_BODY, "Organisation")
    for mention in out:
        mention.info["generic"] = True
    return out


_DESCRIBED_FACILITY = re.compile(
    r"\b(?:an?|the) (?:new )?(?P<what>(?:joint|shared|bilateral|international|common) (?:[a-z-]+ )?"
    r"(?:laboratory|centre|center|facility|platform|testbed|hub|observatory) (?:for|on|in) "
    r"[a-z][\w-]*(?: (?:and )?[a-z][\w-]*)*?)(?=[,.;:]| run\b| with\b| at\b| in [A-Z]| which\b|"
    r" to\b| by\b| that\b)")


# "will lead a programme on drought-tolerant sorghum and millet"
_DESCRIBED_PROGRAMME = re.compile(
    r"\b(?:lead|launch|run|set up|establish|coordinate|create)s? (?:an?|the) (?:new |joint )*"
    r"(?P<what>programme (?:on|for) [a-z][\w-]*(?: (?:and )?[a-z][\w-]*){0,6}?)"
    r"(?=[,.;:]| with\b| at\b| over\b| in [A-Z]| from\b| and (?:the )?[A-Z])")


# "will fund joint projects in astronomy, astronomical instrumentation and data science under
# ...", "will carry out joint studies of sea ice, glaciers and the Arctic atmosphere, and will"
_DESCRIBED_JOINT_WORK = re.compile(
    r"\b(?:fund|carry out|conduct|undertake|support|pursue)s? (?P<what>joint (?:research )?"
    r"(?:projects|studies|research|work) (?:in|on|of) [a-z][\w-]*"
    r"(?:(?: |, | and |, and )(?:the )?[\w-]+){0,8}?)"
    r"(?=[.;:]| under\b| with\b| at\b| over\b| from\b| through\b|,? and (?:will|to)\b)")


def described_joint_work(finder: Finder) -> list[Mention]:
    """Joint work the partners will do, which the text describes rather than names ("will
    fund joint projects in astronomy ..."): a programme, which sums "for the joint work" go to.
    """
    out = _described(finder, _DESCRIBED_JOINT_WORK, "Programme")
    for mention in out:
        mention.info["joint_work"] = True
    return out


def described_programmes(finder: Finder) -> list[Mention]:
    """Programmes the text describes: "will lead a programme on drought-tolerant sorghum"."""
    return _described(finder, _DESCRIBED_PROGRAMME, "Programme")


def described_facilities(finder: Finder) -> list[Mention]:
    """Facilities the text describes: "a joint laboratory for semiconductor materials", "a new
    joint laboratory on advanced materials"."""
    return _described(finder, _DESCRIBED_FACILITY, "ResearchFacility")


_DESCRIBED_MEETING = re.compile(
    r"\b(?:[Tt]he|[Ii]ts|[Tt]heir) (?:next|first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth|previous|\d+(?:st|nd|rd|th)|annual|inaugural) (?:joint |plenary |ministerial )?"
    r"(?:meeting|session|workshop|symposium|seminar)\b(?! of (?!the (?:programme|project|"
    r"initiative|network|partnership)\b))"
    # "the Asia-Pacific Economic Cooperation (APEC) leaders' summit": a body's summit
    r"|(?<=[\w)] )(?:leaders[’']|ministerial|heads of state) summit\b"
    # "The working group will meet in Brasília", "will meet for the first time in Tokyo"
    r"|\b(?:will|would|is to|are to|shall) (?:next |first |again )?meet(?: for the first time|"
    rf" again)?(?= in (?!{MONTH})[A-Z])")


def described_meetings(finder: Finder) -> list[Mention]:
    """Meetings named by what they are: "will hold its next meeting in Mexico City"."""
    out = []
    for m in _DESCRIBED_MEETING.finditer(finder.text):
        label = "Meeting" if " meet" in m.group(0) and "meeting" not in m.group(0) else None
        mention = finder.mention(m.start(), m.end(), "Meeting", label or m.group(0))
        mention.info["generic"] = True
        mention.info["its"] = m.group(0).split(" ")[0].lower() in ("its", "their")
        out.append(mention)
    return out


_DESCRIBED_CALL = re.compile(
    r"\b(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir) (?P<what>(?:(?:first|second|third|new|annual|"
    r"bilateral|trilateral|dedicated) )*(?P<joint>joint (?:[a-z][\w-]+ ){0,2}?)?call"
    r"(?P<for> for (?:joint |research |collaborative )?(?:proposals|projects|applications))?"
    r"(?: (?:for|in|on) (?:research )?(?!the\b|a\b|an\b|its\b|their\b)[a-z][\w-]*"
    r"(?: (?:and )?[a-z][\w-]*){0,5}?)?)"
    r"(?=[,.;:)]| will\b| would\b| under\b| to\b| with\b| each\b| in (?:[A-Z]|\d|the\b)|"
    r" in (?:early|late|mid-?)\b|"
    r" from\b| for the\b| next\b| later\b| is\b| was\b| opens?\b| launched\b| that\b|"
    r" which\b| this\b| at\b| by\b| and\b| every\b| worth\b)")


_DESCRIBED_VISIT = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts) (?P<what>(?:(?:state|official|working|"
    r"ministerial|(?:one|two|three|four|five|six|seven|\d+)-day) )+visit)(?: of (?:the )?"
    r"(?P<who>[A-Z][^,.;]{2,60}?))? to (?:the )?(?P<to>[A-Z])|"
    # "a visit by a McGill delegation to Leuven", "led a Singapore research delegation to Japan"
    r"\b(?:[Aa] visit by |led )(?:an?|the|its|their) (?P<what2>(?:[A-Z][\w*-]* )?(?:[a-z-]+ )?"
    r"delegation) to (?:the )?(?P<to2>[A-Z])")


def described_visits(finder: Finder) -> list[Mention]:
    """Visits the text describes: "the state visit of the President of Mexico to Brazil",
    "her official visit to Japan", "a four-day visit to Canada" (where to, for
    visitedPlace)."""
    out = []
    for m in _DESCRIBED_VISIT.finditer(finder.text):
        what = "what" if m.group("what") else "what2"
        end = m.end("who") if m.group("who") else m.end(what)
        label = finder.text[m.start(what):end]
        label = label[0].upper() + label[1:] + (" visit" if what == "what2" else "")
        where = re.match(r"[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*", finder.text[m.start("to"):]) \
            if what == "what" and re.search(r"-day visit$", label) else None
        if where:  # "a four-day visit to Canada": one of its kind per place visited
            label += f" to {where.group(0)}"
        out.append(finder.mention(m.start(what), end, "Visit", label,
                                  to=m.start("to") if what == "what" else m.start("to2")))
    return out


def described_calls(finder: Finder) -> list[Mention]:
    """Calls for proposals the text describes: "a joint call for research projects in
    quantum computing", "the first call for joint proposals", "A first joint call in quantum
    science and technology". A described call is this document's own: it is never linked to
    another document's call."""
    out = []
    for m in _DESCRIBED_CALL.finditer(finder.text):
        if not (m.group("joint") or m.group("for")):
            continue  # "the call": one named before
        what = m.group("what")
        label = what[0].upper() + what[1:]
        key = slug(label)  # made the document's own by draft._particular (generic)
        out.append(Mention(m.start("what"), m.end("what"), what, "Programme", key, False, label,
                           {"generic": True}))
    return out


_ANAPHOR = re.compile(r"\b(?:[Tt]he|[Tt]his) (council|agency|ministry|foundation|department|"
                      r"commission|institute|centre|center|university|laboratory|observatory|"
                      r"organi[sz]ation)"
                      r"\b(?! of\b)(?!’s|'s)")


def anaphora(text: str, kept: list[Mention]) -> list[Mention]:
    """"The council is to fund ...": the organisation with that head word that issues the
    release (named in its first lines), else the one named last before it ("the National
    Science and Technology Council (NSTC)")."""
    out = []
    lines = [x for x in re.finditer(r"[^\n]+", text)][:4]
    header = lines[-1].end() if lines else 0  # the publisher's lines above the text
    for m in _ANAPHOR.finditer(text):
        if any(k.start <= m.start() < k.end or m.start() <= k.start < m.end() for k in kept):
            continue
        head = m.group(1)
        named = [k for k in kept if k.end <= m.start() and k.cls != "Post"
                 and "acronym_of" not in k.info and "agreement" not in groups([k.cls])
                 and re.search(rf"\b{head}\b", k.label, re.IGNORECASE)]
        # the ministry that issues the release ("The ministry will contribute ..."), else
        # the last one named
        earlier = next((k for k in named if k.start < header), None) or (
            named[-1] if named else None)
        if earlier is not None:
            out.append(Mention(m.start(), m.end(), m.group(0), earlier.cls, earlier.key,
                               earlier.linked, earlier.label, {"anaphor_of": earlier.key}))
    return out


def _signed_later(text: str, m: re.Match) -> bool:
    """Whether an instrument described by its kind alone is said to be signed: "under a
    memorandum of understanding signed in Eindhoven", or "a new memorandum of understanding"
    that a later sentence takes up ("The memorandum — signed Thursday in Santiago by ...", "...
    who signed the agreement with B")."""
    if m.group("det").lower() not in ("a", "an"):
        return False
    if re.match(r",? (?:signed|inked)\b", text[m.end():]):
        return True
    word = m.group("head").split(" ")[0]
    # ("... who signed the agreement with B")
    return bool(re.search(rf"\b(?:The|the|This|this) {word}\b(?: of \w+)?\W{{1,4}}"
                          rf"(?:(?:was|were) )?(?:signed|inked)\b|"
                          rf"\b(?:signed|inked) (?:the|this) {word}\b", text[m.end():]))


def described_agreements(finder: Finder) -> list[Mention]:
    """Instruments the text describes rather than names: "signed a memorandum of understanding
    on Thursday", "the memorandum on cooperation in large-scale research infrastructures"."""
    out = []
    for m in _DESCRIBED.finditer(finder.text):
        # "signed a memorandum", "exchanged the signed texts of a memorandum", "have entered
        # into a memorandum"
        signed = re.search(r"\b(?:(?:sign|ink)(?:ed|s)?|signed (?:texts?|cop(?:y|ies)|"
                           r"versions?|originals?) of|entered into|concluded) $",
                           finder.text[max(0, m.start() - 30):m.start()])
        if not (m.group("topic") or signed or _signed_later(finder.text, m)):
            continue
        cls = _DESCRIBED_CLASS.get(m.group("head"), "Agreement")
        start = m.start("head") if m.group("det").lower() in ("the", "this") else m.start()
        label_start = m.start("kind") if m.group("kind") else m.start("head")
        mention = finder.mention(start, m.end(), cls, finder.text[label_start:m.end()])
        if not m.group("topic"):
            mention.info["generic"] = True
        mention.info["described"] = True
        out.append(mention)
    for m in _DESCRIBED_UNDER.finditer(finder.text):
        what = re.sub(r"^(?:an?|the) ", "", m.group("what"))
        if re.fullmatch(r"(?:new |same |this |that |)(?:agreement|accord)", what):
            continue  # "under the agreement": the one named elsewhere
        since = re.match(r" since (\d{4})\b", finder.text[m.end():])
        label = what[0].upper() + what[1:] + (f" ({since.group(1)})" if since else "")
        out.append(finder.mention(m.start("what"), m.end(), "Agreement", label))
    return out


def find_mentions(text: str, gaz: Gazetteer, ner: str | Tagger | None = None) -> list[Mention]:
    """Every entity mention of ``text`` in text order, non-overlapping but for the
    organisations named inside an office's title ("Head of the Australian Space Agency").
    With ``ner="tagger"`` (or a trained :class:`~kg.extract.tagger.Tagger`), the learned
    tagger's names fill the gaps the rules leave (:mod:`kg.extract.tagger`); with
    ``ner="spacy"``, spaCy's (:mod:`kg.extract.ner`)."""
    finder = Finder(text, gaz)
    bracketed = finder.bracketed_people()
    spans = [(m.start, m.end) for m in bracketed]
    people = bracketed + [m for m in finder.listed_people() + finder.people()
                          if not any(s < m.end and m.start < e for s, e in spans)]
    names = finder.office_bodies(people) + finder.country_named_bodies() + finder.name_mentions()
    names += finder.coordinated([(m.start, m.end) for m in people])
    known = finder.gazetteer_mentions()
    first = resolve(people + names + known
                    + finder.titles_alone() + finder.lower_heads() + finder.governments()
                    + finder.meetings() + finder.places() + described_agreements(finder)
                    + described_facilities(finder) + described_meetings(finder)
                    + described_programmes(finder) + described_joint_work(finder)
                    + described_calls(finder) + described_bodies(finder)
                    + described_visits(finder))
    posts = [(m.start, m.end) for m in first if m.cls == "Post"]
    in_posts = [m for m in names + known if m.cls in _OFFICE_ORGS and any(
        s <= m.start and m.end <= e for s, e in posts)]
    extra = finder.acronyms(first + in_posts) + finder.surnames(people)
    # an acronym the text defines for another country's body of a known name ("South Africa's
    # National Research Foundation (NRF)") names that body, not the gazetteer's of that acronym
    others = {m.key for m in first if m.info.get("not_known")}
    defined = {(m.start, m.end) for m in extra if m.info.get("acronym_of") in others}
    first, in_posts = ([m for m in ms if (m.start, m.end) not in defined
                        or not m.info.get("gazetteer")] for ms in (first, in_posts))
    kept = resolve(first + extra)
    posts = [(m.start, m.end) for m in kept if m.cls == "Post"]
    inner = resolve([m for m in in_posts + extra if m.cls in _OFFICE_ORGS and any(
        s <= m.start and m.end <= e for s, e in posts)])
    titles = [(m.start, m.end) for m in kept if "agreement" in groups([m.cls])]
    inner += [m for m in finder.governments() if any(  # "Agreement between the Government of X"
        s <= m.start and m.end <= e for s, e in titles)]
    # an organisation named only inside an office's title is not an entity of its own
    elsewhere = {m.key for m in kept} | {k for k, e in gaz.entries.items() if e.in_graph}
    # ... but the body after the comma of "Secretary, Ministry of Earth Sciences" is named
    # beside the office, not inside it (unless a ministry follows: "Director General,
    # Department for Research, Ministry of ...", where the department is part of the office)
    # ... nor one given its acronym there ("the president of the National Council for
    # Scientific and Technological Development (CNPq), X"): that is where it is named
    kept += [m for m in inner if m not in kept and (
        m.key in elsewhere or m.cls == "Government"
        or re.match(r" \([A-Z][\w-]*\)", text[m.end:m.end + 16]) or (
            text[m.start - 2:m.start] == ", " and not re.match(
                r", (?:the )?(?:[A-Z]\w+ )*(?:Ministry|Department)\b", text[m.end:m.end + 40])))]
    for m in [m for m in inner if m in kept]:  # its acronym, read before as a body of its own
        gloss = re.match(r" \(([A-Z][\w-]*)\)", text[m.end:m.end + 16])
        for a in kept if gloss else ():
            if a.text == gloss.group(1) and a.key != m.key and not a.linked:
                a.key, a.label, a.cls = m.key, m.label, m.cls
                a.info["acronym"] = gloss.group(1)
    for m in kept:  # "The 22nd AMMSTI" after "The 21st ... Meeting ... (AMMSTI)": another one
        nth = re.search(r"\b[Tt]he (\d+(?:st|nd|rd|th)) $", text[max(0, m.start - 12):m.start])
        own = re.match(r"(\d+(?:st|nd|rd|th)) (.+)", m.label)
        if m.cls == "Meeting" and nth and own and own.group(1) != nth.group(1):
            m.label = f"{nth.group(1)} {own.group(2)}"
            m.key, m.linked = slug(m.label), False
            m.start -= len(nth.group(1)) + 1
            m.text = text[m.start:m.end]
    offices_of_bodies(finder, kept)
    kept += anaphora(text, kept)
    kept += short_names(finder, kept)
    kept += repeated_places(finder, kept)
    kept += titled_topics(finder, kept)
    # the committee whose meeting "the 10th X Committee" is, named inside the meeting's name
    bodies = [m.info["body"] for m in kept if m.cls == "Meeting" and m.info.get("body")]
    kept += [b for b in {b.key: b for b in bodies}.values() if b.key not in {m.key for m in kept}]
    if ner == "spacy":
        from kg.extract.ner import ner_mentions

        kept += ner_mentions(finder, [(m.start, m.end) for m in kept])
    elif ner == "tagger" or (ner is not None and not isinstance(ner, str)):
        from kg.extract.tagger import tagger_mentions

        kept += tagger_mentions(finder, [(m.start, m.end) for m in kept],
                                None if ner == "tagger" else ner)
    elif ner is not None:
        raise ValueError(f"unknown mention finder {ner!r}")
    # a table's header names its columns ("Name of MoU/Agreement"), not things
    headers = [table[0] for table in tables(text)]
    return sorted((m for m in kept if not any(a <= m.start < b for a, b in headers)),
                  key=lambda m: (m.start, m.end))


def offices_of_bodies(finder: Finder, kept: list[Mention]) -> None:
    """"Dr. X, Director, NCPOR, and Ms. Y, Director, Norwegian Polar Institute": a bare head
    of body's title after a name, then the body after a comma, is the office of that body
    ("Director of the National Centre for Polar and Ocean Research"), each holder's own."""
    text = finder.text
    bodies = {m.start: m for m in kept if m.cls in _OFFICE_ORGS}
    posts = {m.start: m for m in kept if m.cls == "Post"}
    for person in [m for m in kept if m.cls == "Person" and m.info.get("title_span")]:
        lo, hi = person.info["title_span"]
        post = posts.get(lo)
        title = text[lo:hi]
        if (lo < person.end or post is None or post.end != hi or post.linked
                or not P.HEAD_OF_BODY.search(title)
                or re.search(r"\b(?:of|for|at|to)\b|,", title)):
            continue
        comma = re.match(r", (?:the )?", text[hi:hi + 6])
        body = comma and bodies.get(hi + comma.end())
        if not body or not re.match(r"(?: \([^()]*\))?(?:[,;.)]|$| and\b)",
                                    text[body.end:body.end + 20]):
            # a list of signatories: "For Université Grenoble Alpes: Nathalie X, President"
            at, lead = P.listed_body(text, person.start)
            body = lead and bodies.get(at)
            if not body or not re.fullmatch(rf": (?:{P.HONORIFIC} )*",
                                            text[body.end:person.start]) \
                    or not re.match(r"[ \t]*(?:\n|$)", text[hi:]):
                continue
        name = body.label.removeprefix("the ").removeprefix("The ")
        # ("President of Osaka University", "Director of the National Centre for ...")
        the = "" if re.fullmatch(r"[A-Z][\w-]+ University", name) else "the "
        label = f"{title} of {the}{name}"
        post.key, post.linked, post.label = finder.link(label, "Post")
        person.info["post"] = post.key
        if body.start > hi:  # the office's words reach to the body after it
            post.end, post.text = body.end, text[lo:body.end]
            person.info["title_span"] = (lo, body.end)


def repeated_places(finder: Finder, kept: list[Mention]) -> list[Mention]:
    """A city the rules found once ("signed earlier today in Tromsø") wherever the text names
    it again outside another name ("The Fram Centre in Tromsø will coordinate ...")."""
    out = []
    taken = [(m.start, m.end) for m in kept]
    for m in {k.key: k for k in kept if k.cls == "City" and not k.linked}.values():
        for ref in whole_words(finder.text, m.text, tail=" [A-Z]"):
            if not any(a < ref.end() and ref.start() < b for a, b in taken):
                out.append(Mention(ref.start(), ref.end(), m.text, m.cls, m.key, m.linked,
                                   m.label, {}))
    return out


def short_names(finder: Finder, kept: list[Mention]) -> list[Mention]:
    """A university named later by the word before "University" ("McGill will put ..." after
    "McGill University"), where no other mention is."""
    out = []
    taken = [(m.start, m.end) for m in kept]
    for m in {k.key: k for k in kept if k.cls == "University"}.values():
        short = re.fullmatch(r"([A-Z][\w-]+) University", m.label)
        word = short.group(1) if short else None
        if (word is None or word in finder.names or word in P.NOT_NAMES
                or finder.gaz.country_of(word)):
            continue
        for ref in whole_words(finder.text, word, tail=" [A-Z]"):
            if not any(a <= ref.start() < b for a, b in taken):
                out.append(Mention(ref.start(), ref.end(), word, m.cls, m.key, m.linked,
                                   m.label, {"short_of": m.key}))
    return out


def titled_topics(finder: Finder, kept: list[Mention]) -> list[Mention]:
    """Technology areas named only inside an instrument's or a meeting's title ("Implementing
    Arrangement on Joint Research in Semiconductors and Quantum Technology"): the area is an
    entity too, at its first place in a title."""
    topics = {n.lower(): k for n, k in finder.names.items()
              if "TechnologyArea" in finder.gaz.entries[k].types
              and n.lower() not in _NOT_FIELDS}  # "Research and Innovation": no field
    if not topics:
        return []
    rx = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(topics, key=len,
                                                                        reverse=True)))
                    + r")(?![\w-])", re.IGNORECASE)
    seen = {m.key for m in kept}
    out = []
    for m in kept:
        described = m.cls == "Organisation" and m.text[:1].islower()  # "a joint working
        # group on quantum materials"
        if not (groups([m.cls]) & {"agreement", "event"} or described) or m.cls in LIFECYCLE:
            continue
        for t in rx.finditer(m.text):
            key = topics[t.group(0).lower()]
            if key not in seen:
                seen.add(key)
                known = finder.gaz.entries[key]
                out.append(Mention(m.start + t.start(), m.start + t.end(), t.group(0),
                                   "TechnologyArea", key, True, known.label, {"gazetteer": True}))
    return out


_ORDINALS = ("First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|"
             "Twelfth|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
             "twelfth")

# continents and world regions: never a city ("one of the fastest in Europe")
CONTINENTS = {"Europe", "Asia", "Africa", "America", "Americas", "Oceania", "Antarctica",
              "Arctic", "Antarctic", "Eurasia", "Australasia", "Scandinavia", "Latin America",
              "North America", "South America", "Central America", "Central Europe",
              "Eastern Europe", "Western Europe", "Southeast Asia", "East Asia", "South Asia",
              "Central Asia", "Middle East", "Asia-Pacific", "Indo-Pacific", "Caribbean"}
_CALENDAR_WORD = re.compile(f"{MONTH}|{WEEKDAY}")  # a month's or a weekday's name
# languages: never a city ("two originals, one in English and one in German")
LANGUAGES = {"English", "French", "German", "Spanish", "Portuguese", "Italian", "Dutch",
             "Japanese", "Korean", "Chinese", "Mandarin", "Arabic", "Russian", "Hindi", "Thai",
             "Vietnamese", "Indonesian", "Malay", "Polish", "Czech", "Swedish", "Norwegian",
             "Danish", "Finnish", "Greek", "Turkish", "Hebrew", "Ukrainian", "Hungarian",
             "Romanian", "Bulgarian", "Croatian", "Slovak", "Slovene", "Catalan", "Basque",
             "Welsh", "Irish", "Icelandic", "Estonian", "Latvian", "Lithuanian", "Swahili"}
# the words of particles of more than one word ("van den", "de la"), lower case
_PARTICLE_PARTS = {"der", "den", "la", "los"}
_COORDINATED = re.compile(r"((?:[A-Z][\w.&-]*)(?: [A-Z][\w.&-]*){0,3}) and "
                          r"(?=the [A-Z]|[A-Z][\w.–-]*(?:’s|'s) [A-Z])")
_COORDINATED_CLASSES = {"Agency", "FundingBody", "ResearchInstitute", "University",
                        "Organisation", "Company", "PublicBody"}

# words that make a place of a country's name ("Western Canada", "Atlantic Canada")
_DIRECTIONS = {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western",
               "Central", "Atlantic", "Pacific", "Greater", "Upper", "Lower", "New", "Rural",
               "Coastal", "Arctic", "Team"}
# offices that head a university
_ACADEMIC_HEADS = re.compile(r"\b(?:Rector|Vice-Chancellor|Principal|Provost)\b")
_OFFICE_ORGS = {"Agency", "ResearchInstitute", "ResearchFacility", "Synchrotron", "FundingBody",
                "Organisation", "University", "Company", "Ministry", "PublicBody"}
