"""Candidate statements for the patterns press releases about agreements use.

Each rule reads one sentence and the mentions in it, and proposes triples with the smallest quote
that supports them: "signed by X and Y" (a signature event per signer, with office, party, place
and date), "entered into force upon signature" (an entry into force, and for a treaty consent by
signature), "signed in Tokyo", "a further £15.5 million investment in Z", "X from Y’s Ministry of
...", "the Japanese city of Sendai", "a meeting hosted in Sendai", "an arrangement under the
... Agreement", and the technology areas an agreement's sentences name. Every statement is a
draft for a curator to confirm.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from kg.extract import people as P
from kg.extract.mentions import DOLLARS, LIFECYCLE, LOWER_HEADS, Mention, Money, groups
from kg.extract.text import DateMention, tables
from kg.namespace import slug


@dataclass(frozen=True)
class Statement:
    """A proposed triple: object ``o`` (an entity key) or literal ``value``, with its quote."""

    s: str
    p: str
    o: str | None
    value: str | None
    start: int
    end: int
    resolved: str | None = None


@dataclass
class NewEntity:
    """An entity a rule proposes that no name in the text stands for (a signature, an
    investment): its quote is the span the rule read."""

    key: str
    cls: str
    label: str
    start: int
    end: int


SIGNED = re.compile(r"\b(?:[Ss]igned|inked|countersigned|co-signed)\b|"
                    r"\bsigning (?:ceremony|took place)\b|"
                    # a photo caption: "A (left), Title, and B, Title, at the signing on 22 May"
                    r"^Photo:.*\bat the signing\b|"
                    r"\b(?:[Pp]ut|[Pp]uts|[Pp]utting|set|affixed|added) (?:their|its|his|her) "
                    r"(?:signatures?|names?) (?:to|on)\b|"
                    r"\b(?:bears?|bore|carries|carried) the signatures? of\b|"
                    r"\b(?:put|puts|putting) pen to paper\b|"
                    # "The signatories were the UK's Minister of X, A, and ...", "the signing of
                    # the X was conducted between A, Title, and B, Title" (Japanese English)
                    r"\b[Tt]he signatories (?:were|included)\b|"
                    # "The Leaders welcomed the signing of the Agreement ... by Minister A and
                    # Minister B": the signers after the "by", not the welcomers
                    r"\b[Tt]he signing of\b(?=[^.;]*? by\b)|"
                    # "Minister A today formalised the X Arrangement with her counterpart, B"
                    r"\b[A-Z][\w’'-]+ (?:today |yesterday |on [A-Z]\w+ )?formali[sz]ed "
                    r"(?:the|an?) (?=[^.;]* with\b)|"
                    r"\b[Ss]igning of\b[^.;]{0,300}? (?:was|were) (?:conducted|held|carried out|"
                    r"performed|done) (?:between|by)\b")
FUTURE = re.compile(r"\b(?:will|to|would|shall|expected to|set to|due to|plans? to|intends? to)"
                    r" (?:be )?sign(?:ed)?\b")
# "The Ambassador of X, Y, attended the signing ceremony": a witness, not a signer
WITNESSED = re.compile(r"\b(?:attended|witnessed|observed|(?:was|were)(?: also)? present at)"
                       r" (?:the )?signing\b")
# (not "A and B added their signatures to")
REPORTING = re.compile(r",? (?:announced|said|says|told|noted|welcomed|stated|declared|"
                       r"added(?! (?:their|his|her|its) (?:signatures?|names?)))\b")
# the heading of a list of signatories, a line each ("2. Signatories", "Signed by:")
SIGNATORIES = re.compile(r"(?:\d+\.\s*)?(?:Signatories|Signatures|Signed by|Signing parties)"
                         r"\s*:?", re.IGNORECASE)
LIST_LINE = re.compile(r"[^:\n]{3,120}: \S")  # "Body (ACRONYM): Mr. X, Title"
NOT_SIGNERS = re.compile(r"\b(?:attended by|in the presence of|witnessed by|led by|accompanied by|"
                         r"welcomed by|hosted by)\b|"
                         # "The signing took place during a four-day visit to Korea by Ms X"
                         r"\bvisit\b[^.;]{0,60}?\bby\b|"
                         # "..., with South Korea's Minister of Science and ICT X looking on"
                         r"\bwith\b(?=[^.;]{0,160}\b(?:looking on|in attendance)\b)")
INVEST = re.compile(r"\b(?:(?:invest|provide|contribute|commit|spend|allocate|pledge|give|"
                    r"offer|earmark|set aside|make available|fund)(?:s|ed|ing)?|mobili[sz](?:e|es|"
                    r"ed|ing)|mak(?:e|es|ing)|"
                    # -ing of the verbs ending in e ("is also providing a further ...")
                    r"(?:provid|contribut|allocat|pledg|giv)ing|committ(?:ed|ing)|pledged)\b"
                    r"(?: (?:a further|"
                    r"an additional|a total of|another|some|around|about|over|up to))?\s*$|"
                    r"\b(?:provide|contribute|commit|invest)(?:s|d|ed)? (?:up to|a further|"
                    r"an additional)\s*$|"
                    # the noun: "Malaysia's offer of RM15 million ... for X"
                    r"(?:’s|'s) (?:offer|pledge|contribution|commitment) of\s*$|"
                    # "has committed funding of up to", "will put ... into"
                    r"\b(?:committ(?:ed|ing)|commits?|provid(?:es?|ed|ing)|pledg(?:es?|ed|ing)) "
                    r"(?:funding|a sum|an amount) of (?:up to )?\s*$|\bput(?:s|ting)?(?: up)?\s*$|"
                    # "with RIKEN matching the contribution with ¥1 billion"
                    r"\bmatch(?:es|ed|ing)? (?:the|this|that|its|their) (?:contribution|sum|"
                    r"amount|investment|commitment|funding) with\s*$")
# "..., which is funded by the Ministry of X with NOK 15 million": the funder after "by"
FUNDED_BY = re.compile(r"\b(?:is |are |was |were |will be |to be )?(?:funded|financed|supported|"
                       r"backed) by (?P<who>[^,;]{2,80}?) with (?:up to |a total of |some |"
                       r"about |around |an additional )?$")
FUND_WITH = re.compile(r"\b(?:fund|finance|support|back)(?:s|ed|ing)? (?!by\b)"
                       r"(?P<what>[^,;]{3,80}?) with (?:up to |a total of |some |about |around |"
                       r"an additional )?$")
NOT_INVESTMENT = re.compile(r"\b(?:between|receive|receives|worth|each|per|individual|"
                            r"projects may|(?<!funding )of up to)\b[^.]*$")
CUR_START = r"[£€$¥₹₩]|[A-Z]{1,3}\$|CHF|Rs|Rp|RM|R(?=\d)|[A-Z]{3} ?\d|\d"
INVESTORS = ("Government", "Ministry", "Agency", "FundingBody", "Country", "State",
             "Organisation", "Company", "PublicBody", "IntergovernmentalOrganisation",
             "ResearchInstitute", "University")
WIDER = {"City": ("Country", "Region"), "Place": ("City", "Region", "Country"),
         "Region": ("Country",)}
OPERATORS = ("Agency", "ResearchInstitute", "University", "Organisation", "Company",
             "FundingBody", "PublicBody", "IntergovernmentalOrganisation")
PESOS = {"mexico": "MXN", "chile": "CLP", "argentina": "ARS", "colombia": "COP",
         "philippines": "PHP", "uruguay": "UYU", "dominican-republic": "DOP", "cuba": "CUP"}
ANAPHORS = (r"memorandum of understanding|memorandum|MoU|arrangement|agreement|declaration|"
            r"deal|partnership|protocol|accord|statement")
IN_FORCE_ON_SIGNATURE = re.compile(r"\bentered into force (?:up)?on (?:its )?signature\b")
# "which entered into force in 1993", "which has been in force since 1971"
IN_FORCE_SINCE = re.compile(r"\b(?:entered|came) into force in (?P<year>(?:1[89]|20)\d\d)\b|"
                            r"\bin force since (?P<since>(?:1[89]|20)\d\d)\b")
COOPERATE_UNDER = re.compile(r"\b(?:have |has )?(?:cooperated|cooperates?|worked together|works? "
                             r"together) under (?:the two countries’ |their |the |an? )?")
PARTICIPANTS = ("Country", "State", "Government", "IntergovernmentalOrganisation")
# fields too general to be what an instrument is about ("... Research and Innovation")
CITY_STATES = ("Singapore", "Monaco", "Vatican City")  # countries that are where one signs
GENERIC_TOPICS = {"innovation", "research", "science", "technology", "technologies"}
BINDING = ("Treaty", "BindingAgreement")  # the classes of binding instruments the rules give
CONSENT_BY_SIGNATURE = ("an agreement that enters into force upon signature makes signature the "
                        "signatories' consent to be bound (Vienna Convention art. 12)")
# provinces' and states' postal abbreviations, as datelines give them ("CALGARY, AB")
POSTAL = {**dict.fromkeys("AB BC MB NB NL NS NU ON PE QC SK YT".split(), "canada"),
          **dict.fromkeys("NSW VIC QLD TAS ACT".split(), "australia")}
BLOCK_PARTIES = ("Ministry", "Government", "Agency", "FundingBody", "PublicBody", "Country",
                 "State", "IntergovernmentalOrganisation", "ResearchInstitute", "University")
BODIES = ("Ministry", "Agency", "FundingBody", "PublicBody", "ResearchInstitute", "University",
          "Organisation", "Company")
ORG_PARTIES = ("Agency", "ResearchInstitute", "ResearchFacility", "Synchrotron", "FundingBody",
               "Organisation", "University", "Company")


_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bProf)"
                           r"(?<!\bSt)(?<!\bNo)(?<!\bIr)(?<!\bIng)(?<!\bHon)"
                           r"[.!?](?=\s+[A-Z“\"‘•(])")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of sentences: split after . ! ? (not after an initial or an honorific such as
    "Dr." or "Prof.") and at newlines."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        start = m.start()
        for end in _SENTENCE_END.finditer(m.group(0)):
            out.append((start, m.start() + end.end()))
            start = m.start() + end.end() + 1
        if start < m.end():
            out.append((start, m.end()))
    return out


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether offset ``pos`` falls inside one of ``spans`` (``[start, end)`` pairs)."""
    return any(a <= pos < b for a, b in spans)


class Rules:
    """Applies the statement rules to one document's mentions."""

    def __init__(self, text: str, mentions: list[Mention], dates: list[DateMention],
                 money: list[Money], info: dict[str, dict]):
        self.text, self.mentions, self.dates, self.money = text, mentions, dates, money
        self.info = info  # entity key -> merged info (post, country, ...)
        self.statements: list[Statement] = []
        self.new: list[NewEntity] = []
        self.on_signature: str | None = None  # the entry into force "upon signature"
        agreements = [m for m in mentions if "agreement" in groups([m.cls])]
        said = [(m, self.text[slice(*self._sentence_at(m.start))]) for m in agreements]
        signed = [m for m, sentence in said if re.search(r"\b[Ss]ign", sentence)
                  and not re.search(r"\bunder (?:the )?$", self.text[max(0, m.start - 12):m.start])]
        self.main = (signed or agreements or [None])[0]
        named = [m for m, sentence in said if not m.label[:1].islower() and SIGNED.search(sentence)]
        if self.main is not None and self.main.label[:1].islower() and named and \
                named[0].cls == self.main.cls:  # "signed a joint declaration on X", then "put
            self.main = named[0]  # his name to the Brussels Declaration on X": the named one

    def _sentence_at(self, pos: int) -> tuple[int, int]:
        """The bounds of the sentence offset ``pos`` is in (``(0, 0)`` if none)."""
        return next(((a, b) for a, b in sentences(self.text) if a <= pos < b), (0, 0))

    def add(self, s: str, p: str, start: int, end: int, o: str | None = None,
            value: str | None = None, resolved: str | None = None) -> None:
        st = Statement(s, p, o, value, start, end, resolved)
        if s != o and not any((x.s, x.p, x.o, x.value) == (s, p, o, value)
                              for x in self.statements):
            self.statements.append(st)

    def run(self) -> tuple[list[Statement], list[NewEntity]]:
        spans = sentences(self.text)
        self.dateline = next((m for m in self.mentions if m.info.get("dateline")), None)
        self.topic_names = sorted(self.info.get("__topics__", {}).items(),
                                  key=lambda kv: (-len(kv[0]), kv[0]))
        self.capitals = self.info.get("__capitals__", {})
        home = next((m.key for m in self.mentions if m.start < 400 and m.key in DOLLARS), None)
        self.dollar_country = next((m.label for m in self.mentions if m.key == home), "")
        if home is None and self.dateline is not None:
            # "CALGARY, AB, Feb. 4, 2025 /CNW/": the province after the dateline's city
            regions = self.info.get("__regions__", {})
            near = next((m for m in self.mentions if m.cls == "Region" and m.key in regions
                         and 0 <= m.start - self.dateline.end <= 3), None)
            code = re.match(r", ([A-Z]{2,3})\b", self.text[self.dateline.end:])
            if near is not None and regions[near.key] in DOLLARS:
                home, where = regions[near.key], near.label
            elif code and code.group(1) in POSTAL:
                home, where = POSTAL[code.group(1)], code.group(1)
            if home is not None:
                self.dollar_country = f"{where}, {home.replace('-', ' ').title()}"
        self.dollar = DOLLARS.get(home, "USD")
        self.signing = self._signing(spans)
        # body text before bullet points: a summary bullet repeats the body less precisely
        for start, end in sorted(spans, key=lambda s: (self.text[s[0]:s[1]].lstrip()
                                                       .startswith("•"), s[0])):
            ms = [m for m in self.mentions if start <= m.start < end]
            ds = [d for d in self.dates if start <= d.start < end]
            money = [x for x in self.money if start <= x.start < end]
            self.posts(ms)
            self.signatures(start, end, ms, ds)
            self.investments(start, end, ms, ds, money)
            self.places(start, end, ms)
            self.part_of(ms)
            self.meetings(ms, ds)
            self.chairs(start, end, ms)
            self.launchers(start, ms)
            self.governments(ms)
            self.agreements(start, end, ms)
        return self.statements, self.new

    def _signing(self, spans: list[tuple[int, int]]) -> tuple[Mention | None, DateMention | None]:
        """Where and when the main agreement was signed, from the first sentence that says
        "signed" with a place or a full date: the signers' sentence may not repeat them."""
        place = day = None
        self.signing_venue = None
        self.signing_of: set[str] = set()  # the instruments those sentences name
        for start, end in spans:
            sentence = self.text[start:end]
            # a fact box: "- Signed by: A and B" over "- When and where: Thursday 12 June, at X"
            box = re.match(r"\W*(?:When and where|When|Where|Date|Place|Venue) ?:", sentence) \
                and re.search(r"^\W*Signed\b", "\n".join(self.text[:start].splitlines()[-3:]),
                              re.MULTILINE)
            # "closed their meeting in Bologna on Thursday by adopting the Bologna Declaration",
            # "The agreement was formalised at a ceremony in Singapore on Wednesday"
            adopted = re.search(r"\b(?:adopt(?:ed|ing)|formali[sz](?:ed|ing))\b", sentence) and any(
                start <= m.start < end and "agreement" in groups([m.cls]) for m in self.mentions)
            if not (re.search(r"\bsign(?:ed|ing)\b", sentence) or SIGNED.search(sentence)
                    or box or adopted) or FUTURE.search(sentence):
                continue
            self.signing_venue = self.signing_venue or next(
                (m for m in self.mentions if start <= m.start < end and self._venue(m)), None)
            quoted = self._quoted(start, end)
            # not from a relative clause: "The signing took place during a visit ... by A, who
            # also met researchers at KIOST in Busan"
            clause = re.search(r", (?:who|which) ", sentence)
            place = place or next((m for m in self.mentions if start <= m.start < end
                                   and m.cls != "Place" and self._at(m)
                                   and not _inside(m.start, quoted)
                                   and not (clause and m.start > start + clause.start())), None)
            day = day or next((d for d in self.dates if start <= d.start < end
                               and len(d.value) == 10 and not self._announced(d)
                               and not _inside(d.start, quoted)), None)
            if place is None and re.search(r"\btoday\b", self._unquoted(start, end, quoted),
                                           re.IGNORECASE):
                place = self.dateline
            if place or day:
                self.signing_of |= {m.key for m in self.mentions if start <= m.start < end
                                    and "agreement" in groups([m.cls])}
        return place, day

    def _announced(self, d: DateMention) -> bool:
        """Whether a date is when something was announced ("announced on the 14th that it had
        signed"), not when it was done."""
        return bool(re.search(r"\b(?:announced|said|reported|stated|revealed) (?:on )?$",
                              self.text[max(0, d.start - 16):d.start]))

    def _quoted(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans of ``text[start:end]`` inside quotation marks."""
        return [(start + q.start(), start + q.end())
                for q in re.finditer(r"[“\"][^”\"]*[”\"]", self.text[start:end])]

    def _unquoted(self, start: int, end: int, quoted: list[tuple[int, int]]) -> str:
        """``text[start:end]`` with the ``quoted`` spans (:meth:`_quoted`) blanked out."""
        out = self.text[start:end]
        for a, b in quoted:
            out = out[:a - start] + " " * (b - a) + out[b - start:]
        return out

    def _venue(self, m: Mention) -> bool:
        """Whether a meeting is where a signing took place: "during the X", "at the X", "on the
        sidelines of the X", "on the occasion of the X"."""
        return m.cls == "Meeting" and bool(re.search(  # past its body's name and acronym
            r"\b(?:during|at|on the (?:sidelines|margins|occasion) of) (?:the )?"
            r"(?:[A-Z][\w-]* ){0,5}(?:\([A-Z][\w-]*\) )?$",
            self.text[max(0, m.start - 90):m.start]))

    def _at(self, m: Mention) -> bool:
        """Whether a place mention is where something happens: "in Seoul", "at X, New Delhi";
        a country only if it is a city state ("at a ceremony in Singapore")."""
        before = self.text[max(0, m.start - 40):m.start]
        return (m.cls in ("City", "Place") or m.label in CITY_STATES) and bool(
            # ("In Berlin, ... was signed", "outside Boorowa")
            re.search(r"\b(?:[Ii]n|[Aa]t|outside) (?:the )?$", before)
            # ("at the B.J. Habibie Building, Jakarta")
            or re.search(r"\b(?:in|at) (?:the )?[A-Z][\w’ .-]+, $", before))

    def posts(self, ms: list[Mention]) -> None:
        """"UK Science Minister George Freeman": holdsPost; "... from Japan’s Ministry of X":
        postIn."""
        for i, m in enumerate(ms):
            if m.cls != "Person" or "post" not in m.info:
                continue
            post = next((p for p in ms[:i] if p.key == m.info["post"] and re.fullmatch(
                rf",? (?:{P.HONORIFIC} )*", self.text[p.end:m.start])), None)
            if post is None:  # "Dr. X, Secretary, Ministry of Earth Sciences": after the name
                post = next((p for p in ms[i + 1:i + 2] if p.key == m.info["post"]
                             and re.fullmatch(r"(?: \([a-z ]+\))?, ",  # "A (left), Title"
                                              self.text[m.end:p.start])), None)
                if post is not None:
                    self.add(m.key, "holdsPost", m.start, post.end, o=post.key)
                    body = re.search(r", (.+)$", post.text)
                    org = body and next((o for o in self.mentions if o.cls in (
                        "Ministry", "Agency", "PublicBody") and o.text == body.group(1)), None)
                    if org is not None and not re.match(r", (?:the )?(?:[A-Z]\w+ )*(?:Ministry|"
                                                        r"Department)\b",
                                                        self.text[post.end:post.end + 40]):
                        self.add(post.key, "postIn", post.start, post.end, o=org.key)
                    continue
            if post is None:
                continue
            self.add(m.key, "holdsPost", post.start, m.end, o=post.key)
            after = self.text[m.end:m.end + 20]
            org = next((o for o in ms[i + 1:i + 3] if o.cls in ("Ministry", "Agency", "Government")
                        and re.match(r",? (?:from|of|at) (?:the )?(?:\S+(?:’s|'s) )?$",
                                     self.text[m.end:o.start])), None)
            if org is not None and after:
                self.add(post.key, "postIn", post.start, org.end, o=org.key)
                person = self.info.setdefault(m.key, {})
                person.setdefault("org", org)
                owner = re.search(r"(\S+)(?:’s|'s) $", self.text[m.end:org.start])
                country = self.info["__demonyms__"].get(owner.group(1)) if owner else None
                if country and not person.get("country"):
                    person["country"] = country

    def signatures(self, start: int, end: int, ms: list[Mention], ds: list[DateMention]) -> None:
        """"The Arrangement was signed by X and Y today (...) in Tokyo", "X and Y signed a
        Memorandum ... in London", "X has today signed Y with Z": one signature event per
        named signer, with the agreement, office, party, date and place the sentence gives (or
        the first signing sentence, or the dateline). Future signings ("to be signed", "is
        expected to sign") and people who only attend ("attended by", "in the presence of")
        give none."""
        sentence = self.text[start:end]
        sign = SIGNED.search(sentence)
        row = self._signatory_row(start) if sign is None else None
        listed = sign is None and (self._signatory_line(start) or row is not None)
        if not (sign or listed) or self.main is None or FUTURE.search(sentence):
            return
        if WITNESSED.search(sentence) and not re.search(
                r"\b(?:signed|inked|countersigned|co-signed)\b", sentence):
            return
        at = start + sign.start() if sign else start
        stop = NOT_SIGNERS.search(sentence)
        limit = start + stop.start() if stop else end
        quoted = self._quoted(start, end)
        people = [m for m in ms if m.cls == "Person" and m.start < limit
                  and not _inside(m.start, quoted)
                  and not REPORTING.match(self.text[m.end:m.end + 30])
                  # "Australia's Ambassador to Italy, A, also attended the ceremony at which
                  # the two ministers signed": a guest
                  and not re.match(r",? (?:also )?(?:attended|witnessed|observed|looked on)\b",
                                   self.text[m.end:m.end + 30])]
        people = list({m.key: m for m in reversed(people)}.values())[::-1]
        if row is not None:  # the people in the table's signatory columns
            people = [m for m in people if _inside(m.start, row)]
        if sign and sign.group(0).lower() == "the signing of":
            people = [m for m in people if m.start > at]
        both = sign and not people and re.search(
            r"\b(?:[Tt]he two|[Bb]oth) (?P<who>ministers|presidents|directors|heads)\b",
            sentence[:sign.start()])
        if both:  # "she met Colombia's Minister of X, B. ... the two ministers signed": the
            # last two people named before in the paragraph who hold that office
            word = both.group("who")[:-1]
            paragraph = self.text.rfind("\n\n", 0, start) + 2
            named = [m for m in self.mentions if m.cls == "Person" and paragraph <= m.start
                     < start and (word == "head" or word in self._post_words(m))]
            named = list({m.key: m for m in reversed(named)}.values())[:2][::-1]
            people = named if len(named) == 2 else []
        if not people:
            return
        agreements = [m for m in ms if "agreement" in groups([m.cls])
                      and not re.search(r"\b(?:under|implements|extending|amending)\s+(?:the\s+)?$",
                                        self.text[max(0, m.start - 20):m.start])]
        after = [m for m in agreements if m.start > at]
        if row is not None and not agreements:
            return  # a table row whose instrument is not read: not the document's main one
        agreement = (after or agreements or [self.main])[0]
        if agreement.info.get("generic") and agreement.key != self.main.key and \
                not re.search(r"\b(?:a|an)\s+$", self.text[max(0, agreement.start - 4):
                                                         agreement.start]):
            agreement = self.main
        places = [m for m in ms if self._at(m)]
        # a named place only "in" it ("at A*STAR's headquarters in Fusionopolis", "at a
        # ceremony in Dublin Castle"), not a venue "at" it nor one a city follows ("in
        # Kasumigaseki, Tokyo": Tokyo)
        cities = [m for i, m in enumerate(places) if m.cls != "Place" or (
            self.text[m.start - 3:m.start] == "in " and not (
                i + 1 < len(places) and self.text[m.end:places[i + 1].start] == ", "))]
        # "at Rosenbad, the seat of government in Stockholm": the city the first is in
        cities = [c for i, c in enumerate(cities) if not (i + 1 < len(cities) and re.fullmatch(
            r", (?:the|a|an) [^,;]{1,60}? in (?:the )?", self.text[c.end:cities[i + 1].start]))]
        main = agreement.key == self.main.key
        # where and when the first signing sentence says, for its instrument; else for "...
        # today" and "signed ... in the capital", the dateline's city
        first = main or agreement.key in self.signing_of or row is not None  # (a table
        # of outcomes: where and when the text above it says they were signed)
        place = (cities or [None])[0] or (self.signing[0] if first else None) or (
            self.dateline if re.search(r"\btoday\b|\bin the capital\b",
                                       self._unquoted(start, end, quoted), re.IGNORECASE)
            else None)
        # a date inside a quotation ("From today, ...") is the speaker's, not the signing's;
        # one after the document's ("applied from 1 January 2026") is not a past signing's
        issued = self.info["__issued__"]
        dated = [d for d in ds if len(d.value) in (7, 10) and d.value <= issued[:len(d.value)]
                 and not _inside(d.start, quoted) and not self._announced(d)]
        day = min(dated, key=lambda d: abs(d.start - at)) if dated else (
            self.signing[1] if first else None)
        if day is None and re.search(r"\btoday\b", self._unquoted(start, end, quoted),
                                     re.IGNORECASE):  # "signed ... earlier today": the day
            day = next((d for d in self.dates if d.value == issued), None)  # it was issued
        previous = next((self.text[a:b] for a, b in reversed(sentences(self.text[:start]))
                         if self.text[a:b].strip()), "")
        if any(re.match(r"\s*(?:On the occasion|On the sidelines|On the margins|At the meeting|"
                        r"During the (?:meeting|session|visit)|"
                        # "At the close of the Dialogue, A and B affixed their signatures"
                        r"(?:At|By) the (?:close|end|conclusion) of the [A-Z]?[a-z]+)\b", x)
               and "sign" in x
               for x in (sentence, previous)):
            # "On the occasion, X and Y signed ...": where and when the meeting just reported
            # was held
            meeting = next((m for m in reversed(self.mentions) if m.cls == "Meeting"
                            and m.start < start and any(st.s == m.key and st.p == "heldIn"
                                                        for st in self.statements)), None)
            if meeting is not None and not cities:
                held = next(st.o for st in self.statements
                            if st.s == meeting.key and st.p == "heldIn")
                place = next((m for m in self.mentions if m.key == held and m.start < start),
                             place)
            if meeting is not None and not dated:
                on = next((st for st in self.statements if st.s == meeting.key
                           and st.p == "onDate"), None)
                held = next(st for st in self.statements
                            if st.s == meeting.key and st.p == "heldIn")
                a, b = self._sentence_at(held.start)  # or the full date of the sentence
                # it was held in
                day = next((d for d in self.dates if on and d.value == on.value
                            and d.start < start), None) or next(
                    (d for d in self.dates if a <= d.start < b and len(d.value) == 10
                     and d.value <= self.info["__issued__"]), day)
            visit = re.search(r"\bvisit to (?:the )?", previous)
            if meeting is None and visit and re.match(r"\s*During the visit\b", sentence):
                # "... follows a visit to Lund last week by a Korean delegation ... During the
                # visit, A and B signed ...": where and when that visit was
                lo = self.text.rfind(previous, 0, start)
                to = lo + visit.end()
                place = place if cities else next((m for m in self.mentions if m.start == to
                                                   and m.cls == "City"), place)
                day = day if dated else next((d for d in self.dates if lo <= d.start < start
                                              and len(d.value) in (7, 10)), day)
        if re.match(r"\s*(?:On|At) the same (?:occasion|ceremony|event)\b", sentence):
            # "On the same occasion, A and B signed ...": where and when the first signing was
            place = place if cities else (self.signing[0] or place)
            day = day if dated else (self.signing[1] or day)
        if main and place is None and day is None:
            # "The Declaration was signed by A for X, by B for Y ..." with neither place nor day:
            # at the meeting the document reports, where and when it was held
            meeting = next((m for m in reversed(self.mentions) if m.cls == "Meeting"
                            and m.start < start
                            and {"heldIn", "onDate"} <= {st.p for st in self.statements
                                                         if st.s == m.key}), None)
            if meeting is not None:
                facts = {st.p: st for st in self.statements if st.s == meeting.key}
                place = next((m for m in self.mentions if m.key == facts["heldIn"].o
                              and m.start < start), None)
                day = next((d for d in self.dates if d.value == facts["onDate"].value
                            and d.start < start), None)
        parties = self._parties(ms, people, main)
        # "signed in Wellington ... during the X Forum": the meeting was held where it was
        # signed; "on the sidelines of the G20 Leaders' Summit": the signatories took part
        venue = next((m for m in ms if self._venue(m)), None)
        carried = venue is None and main and self.signing_venue is not None
        if carried:  # "X, Y and Z signed ... on the sidelines of the APEC leaders' summit in
            venue = self.signing_venue  # Gyeongju": the signers' sentence after it
        if venue is not None and cities and cities[0].end < venue.start and not carried:
            self.add(venue.key, "heldIn", cities[0].start, venue.end, o=cities[0].key,
                     resolved=f"signed in {cities[0].label} during the {venue.label}")
        elif venue is not None and place is not None and place.cls == "City" and re.fullmatch(
                r" in (?:the )?", self.text[venue.end:place.start]):  # "summit in Gyeongju"
            self.add(venue.key, "heldIn", venue.start, place.end, o=place.key)
        if venue is not None and day is not None and not venue.linked and (
                re.search(r"\bmeeting\b", venue.label, re.IGNORECASE) or len(day.value) == 7):
            # a meeting is held the day it is signed at; a summit or conference only in the
            # month of a signing dated by its month
            self.add(venue.key, "onDate" if len(day.value) == 10 else "inMonth", day.start,
                     day.end, value=day.value,
                     resolved=f"signed that day at the {venue.label}")
        present = venue is not None and not carried and not re.search(
            r"\bduring (?:the )?$", self.text[max(0, venue.start - 12):venue.start])
        for person in people:
            info = self.info.get(person.key, {})
            country = parties.get(person.key)
            if country is None:
                continue  # no party: a signature event needs one; leave it to the curator
            post = next((m for m in ms if m.key == info.get("post") and m.end < person.start
                         and person.start - m.end <= 40), None)
            first = post.start if post else person.start
            held = post or next((m for m in self.mentions if m.key == info.get("post")), None)
            when = day.value if day else "undated"
            key = slug(f"signature {person.key} {when}")
            if any(st.s == key and st.p == "signatureOf" and st.o != agreement.key
                   for st in self.statements):  # one signer of two instruments that day
                key = slug(f"signature {person.key} {agreement.label} {when}")
            label = f"Signature of the {agreement.label} by {person.label}"
            if not any(n.key == key for n in self.new):
                self.new.append(NewEntity(key, "SignatureEvent", label, first, person.end))
            inside = agreement in ms
            lo = min(agreement.start, first) if inside else first
            self.add(key, "signatureOf", lo, max(agreement.end, person.end) if inside
                     else person.end, o=agreement.key)
            self.add(key, "signer", first, person.end, o=person.key)
            if post:
                self.add(key, "inCapacityOf", post.start, person.end, o=post.key)
            elif held:  # the office named with the person elsewhere ("Minister X ... by Ms X")
                named = next((m for m in self.mentions if m.cls == "Person"
                              and m.key == person.key and m.start > held.end
                              and m.start - held.end <= 40), None)
                self.add(key, "inCapacityOf", held.start, named.end if named else held.end,
                         o=held.key)
            self.add(key, "onBehalfOf", first, person.end, o=country)
            if present:
                self.add(venue.key, "participant", person.start, person.end, o=person.key,
                         resolved=f"the signatories signed at the {venue.label}")
            # "President A from KISTI's headquarters in Daejeon and Director B from BSC in
            # Barcelona": each signed where they were
            own = next((m for m in cities if m.start > person.end and re.fullmatch(
                r",? from [^,;]{0,60}? in ", self.text[person.end:m.start])), None)
            if own:  # (over the place a sentence before gave them all)
                self.statements = [st for st in self.statements
                                   if not (st.s == key and st.p == "signedAt")]
            if own or place:
                at = own or place
                lo = at.start - 3 if at in ms and self.text[at.start - 3:at.start] in (
                    "in ", "at ") else at.start
                self.add(key, "signedAt", lo, at.end, o=at.key)
            if day:
                self.add(key, "onDate" if len(day.value) == 10 else "inMonth", day.start,
                         day.end, value=day.value, resolved=day.resolved)
        self._in_force_on_signature(agreement, day)

    def _post_words(self, person: Mention) -> str:
        """The words of the office the text gives ``person`` (lower case; "" if none)."""
        span = self.info.get(person.key, {}).get("title_span")
        return self.text[span[0]:span[1]].lower() if span else ""

    def _signatory_row(self, start: int) -> list[tuple[int, int]] | None:
        """The spans of the signatory cells of the table row at ``start``, when its table's
        header names signatories ("S.No. | Name of MoU | Signatory from Indian side | ...")."""
        for table in tables(self.text):
            row = next(((a, b) for a, b in table[1:] if a <= start < b), None)
            if row is None:
                continue
            header = self.text[slice(*table[0])].split(" | ")
            cells, at = [], row[0]
            for cell in self.text[row[0]:row[1]].split(" | "):
                cells.append((at, at + len(cell)))
                at += len(cell) + 3
            spans = [c for c, h in zip(cells, header, strict=False)
                     if re.search(r"\bsignator", h, re.IGNORECASE)]
            return spans or None
        return None

    def _signatory_line(self, start: int) -> bool:
        """Whether the line at ``start`` is one of a list of signatories under its heading:
        "2. Signatories" over "Japan Aerospace Exploration Agency (JAXA): Mr. X, President"."""
        line_start = self.text.rfind("\n", 0, start) + 1
        if not LIST_LINE.match(self.text, line_start):
            return False
        for line in reversed(self.text[:line_start].splitlines()[-8:]):
            if SIGNATORIES.fullmatch(line.strip()):
                return True
            if line.strip() and not LIST_LINE.match(line):
                return False
        return False

    def _in_force_on_signature(self, agreement: Mention, day: DateMention | None) -> None:
        """"... entered into force upon signature": an ``EntryIntoForce`` of the signed
        instrument, dated by the signing day; for a binding instrument (a treaty) each
        signature is also its signatory's consent to be bound (``ConsentBySignature``,
        ``consentTo``: Vienna Convention art. 12). Signing alone says nothing of force or
        consent, so a signed instrument gets no other lifecycle statement."""
        force = IN_FORCE_ON_SIGNATURE.search(self.text)
        if not force:
            return
        key = slug(f"entry into force of {agreement.key}")
        if self.on_signature not in (None, key):
            return  # one instrument enters into force upon signature: the first signed
        if self.on_signature is None:
            self.on_signature = key
            self.new.append(NewEntity(key, "EntryIntoForce",
                                      f"Entry into force of the {agreement.label}",
                                      force.start(), force.end()))
            self.add(key, "eventOf", force.start(), force.end(), o=agreement.key)
        if day and len(day.value) == 10 and not any(
                s.s == key and s.p == "onDate" for s in self.statements):
            self.add(key, "onDate", force.start(), force.end(), value=day.value,
                     resolved=f"in force upon signature: the date it was signed, {day.value}")
        if agreement.cls in BINDING:
            for event in [s.s for s in self.statements
                          if s.p == "signatureOf" and s.o == agreement.key]:
                self.add(event, "consentTo", force.start(), force.end(), o=agreement.key,
                         resolved=CONSENT_BY_SIGNATURE)

    def _parties(self, ms: list[Mention], people: list[Mention],
                 main: bool) -> dict[str, str]:
        """Signer -> the party signed for: the organisation their office is in for an agency's
        head ("Head of the Australian Space Agency"), else their country; a signer whose office
        names neither gets the one party of the sentence (or headline) left over."""
        out: dict[str, str] = {}
        for person in people:
            info = self.info.get(person.key, {})
            span = info.get("title_span")
            orgs = [m for m in self.mentions if span and span[0] <= m.start < span[1]
                    and m.cls in ORG_PARTIES]
            # "Associate Laboratory Director for Neutron Sciences at ORNL": the body the
            # office is at or of, over words of the title that look like a body
            org = next((m for m in orgs if re.search(r"\b(?:at|of) (?:the )?$",
                                                     self.text[span[0]:m.start])),
                       orgs[0] if orgs else None)
            if org is not None and "facility" in groups([org.cls]):
                owner = org.text  # "SOLARIS Director": a body of that name before the facility
                org = next((m for m in self.mentions if m.cls in ORG_PARTIES
                            and m.key != org.key and (m.label.startswith(owner + " ")
                                                      or m.info.get("acronym") == owner)), org)
            owner = info.get("possessor")
            if span and not owner:  # "MAX IV Director", "PAL Director", "HZB Scientific
                # Director", "Alberta Innovates Chief Executive Officer", "Research Council of
                # Finland President"
                title = self.text[span[0]:span[1]]
                owner = P.title_owner(title) if P.HEAD_OF_BODY.search(title) else None
                if owner in self.info["__demonyms__"]:
                    owner = None  # "UK Science Director": a country's, not "UK Research ..."'s
            if org is None and owner:  # the full name before a short one ("SOLARIS Director":
                # the SOLARIS centre, not the SOLARIS synchrotron), a body before a facility
                bodies = sorted((m for m in self.mentions if m.cls in ORG_PARTIES), key=lambda m: (
                    not (self._named(m, owner) and m.text != owner),
                    "facility" in groups([m.cls])))
                org = next((m for m in bodies if self._named(m, owner)), None)
            if org is None and span and P.HEAD_OF_BODY.fullmatch(self.text[span[0]:span[1]]):
                # "National Science Foundation (NSF) Director A": the body just before a bare
                # head's title
                org = next((m for m in self.mentions if m.cls in ORG_PARTIES and re.fullmatch(
                    r"(?: \([A-Z][\w&*-]*\))? ", self.text[m.end:span[0]])), None)
            head = span and re.fullmatch(r"Director-General (?:for|of) (?:the )?(.+)",
                                         self.text[span[0]:span[1]])
            if org is None and head:  # "A, Director-General for Research and Innovation": the
                org = next((m for m in self.mentions if m.cls != "Post"  # DG she heads
                            and m.label.endswith("Directorate-General for " + head.group(1))),
                           None)
            country = info.get("country")
            if org is not None and (country is None or org.cls not in ("Ministry",)):
                out[person.key] = org.key
            elif country:
                out[person.key] = country
        for person in people:  # a signature block: "For the Ministry of X" over the name
            block = re.search(rf"^For (?:the )?(?P<party>[^\n]+)\n{re.escape(person.text)}\s*$",
                              self.text, re.MULTILINE)
            party = block and next((m for m in self.mentions if block.start("party") <= m.start
                                    < block.end("party") and m.cls in BLOCK_PARTIES), None)
            if party is not None:
                out[person.key] = party.key
        for person in people:  # a list of signatories, a line each: "German Aerospace Center
            line = self.text.rfind("\n", 0, person.start) + 1  # (DLR): Prof. Dr. X, Chair"
            head = re.fullmatch(rf"[^:\n]+?(?: \([^()\n]*\))?: (?:{P.HONORIFIC} )*",
                                self.text[line:person.start])
            at = P.listed_body(self.text, person.start)[0]  # (or "For the CNRS: X")
            party = head and next((m for m in self.mentions if m.start == at
                                   and m.cls in BLOCK_PARTIES + ORG_PARTIES), None)
            if party is not None:
                out[person.key] = party.key
        for person in people:  # a table's signatory cell, "Prof. A, Secretary, Department of
            # Science and Technology": the body that closes the cell
            cell = next((c for c in self._signatory_row(person.start) or ()
                         if c[0] <= person.start < c[1]), None)
            body = cell and next((m for m in reversed(self.mentions) if cell[0] <= m.start
                                  < cell[1] and m.start > person.end and m.cls in
                                  BLOCK_PARTIES + ORG_PARTIES and m.cls not in ("Country",
                                                                                "State")), None)
            if body and person.key not in out:
                out[person.key] = body.key
        for person in people:  # "and, for the Ghanaian side, by the Minister of X, Dr Y"
            window = max(0, person.start - 160)
            side = re.search(r"\bfor the (?P<who>[A-Z][\w’'-]+) (?:side|part|government),? by "
                             r"[^;.]*$", self.text[window:person.start])
            country = side and self.info["__demonyms__"].get(side.group("who"))
            if country and not any(m.cls == "Person" and window + side.end() > m.start
                                   > window + side.start() for m in self.mentions):
                out[person.key] = country
        for person in people:  # "signed on behalf of the University of X by its President, Y"
            window = max(0, person.start - 160)
            behalf = re.search(r"\bon behalf of (?:the )?(?=[A-Z])(?P<party>[^;,]{3,80}?),? by "
                               r"(?:its |their |the )?(?:[^,;]{0,60}?,? )?$",
                               self.text[window:person.start])
            lo = window + behalf.start("party") if behalf else -1
            party = next((m for m in self.mentions if m.start == lo and m.cls in BLOCK_PARTIES),
                         None)
            if party is not None:
                out[person.key] = party.key
        for person in people:  # Korean press style: "the Korea Institute of X (KISTI,
            # President A)", the body whose head the person is
            first = next(m for m in self.mentions if m.key == person.key)
            paren = re.search(r" \((?:[A-Z][\w&*-]+, )?(?:[A-Z][\w-]* ){1,3}$",
                              self.text[max(0, first.start - 60):first.start])
            at = first.start - len(paren.group(0)) if paren else -1
            body = next((m for m in self.mentions if m.end == at and m.cls in ORG_PARTIES), None)
            if body is not None:
                out[person.key] = body.key
        for person in people:  # "the Department of Space (DoS), Government of India,
            # represented by Dr. A, Secretary", "the X (NOSA), represented by its Director
            # General, Ms. B": the body represented
            window = max(0, person.start - 120)
            rep = re.search(rf",? represented by (?:its |the )?(?:[^,;()]{{0,60}}, )?"
                            rf"(?:{P.HONORIFIC} )*$", self.text[window:person.start])
            at = window + rep.start() if rep else -1
            body = next((m for m in reversed(self.mentions) if m.end <= at
                         and m.cls in BLOCK_PARTIES + ORG_PARTIES and m.cls not in (
                             "Country", "State", "Government") and re.fullmatch(
                             r"(?: \([^()]*\))?(?:, (?:the )?Government of [A-Z][\w ]+)?",
                             self.text[m.end:at])), None)
            if body is not None:
                out[person.key] = body.key
        self._between_bodies(ms, people, out)
        headline = self.text.find("\n")
        named = {m.key for m in self.mentions if m.start < headline and m.cls in BLOCK_PARTIES}
        for person in people:  # "Director of the DOE Office of Science X" under the headline
            span = self.info.get(person.key, {}).get("title_span")  # "DOE and UK's STFC Sign":
            body = span and person.key not in out and next(  # the body in the office that the
                (m for m in self.mentions if span[0] <= m.start < span[1]  # headline names
                 and m.key in named and m.cls not in ("Country", "State")), None)
            if body:
                out[person.key] = body.key
        for person in people:
            if person.key not in out and (country := self._publisher_country(person)):
                out[person.key] = country
        for person in people:  # "said A, Minister of X, who signed on behalf of the Government
            # of Malaysia": the party the text gives after the name wins, up to the next person
            until = min([m.start for m in self.mentions if m.cls == "Person"
                         and m.start >= person.end] + [person.end + 200])
            behalf = re.match(r"[^.;“”\"]*?\b(?:on behalf of|(?:signed|signing|signs) for) "
                              r"(?:the )?(?=[A-Z])", self.text[person.end:until])
            party = behalf and next((m for m in self.mentions if m.start == person.end
                                     + behalf.end() and m.cls in BLOCK_PARTIES), None)
            if party and not re.match(r"[^,;.]{0,40}?,? by\b", self.text[party.end:until]):
                out[person.key] = party.key  # (not "..., and on behalf of JAXA by B": B's)
        for person in people:  # "Dr. X, Executive Director, QST, signed": the body that closes
            span = self.info.get(person.key, {}).get("title_span")  # the office after the name
            body = span and span[0] > person.start and re.match(r", (?:the )?",
                                                                self.text[span[1]:])
            party = body and next((m for m in self.mentions if m.start == span[1] + body.end()
                                   and m.cls in BLOCK_PARTIES + ORG_PARTIES), None)
            own = self.info.get(person.key, {}).get("country")
            if party and out.get(person.key) in (None, own):
                out[person.key] = party.key  # the body over the country of the office
        for person in people:  # "A, President of CONCYTEC", "A, chair of the NWO Executive
            # Board": a body an office after the name is of, named in full or by acronym
            if person.key in out:
                continue
            span = self.info.get(person.key, {}).get("title_span")
            after = self.text[person.end:person.end + 120]
            of = re.match(rf",? (?:{P.HONORIFIC} )*(?:the )?(?!who\b|whose\b|which\b)"
                          rf"(?:[\w-]+ ){{0,3}}?(?:of|at) "
                          r"(?:the )?(?P<owner>[A-Z][\w*&-]*(?: [A-Z][\w*&-]*)*)", after) \
                if span is None or span[0] >= person.end else None
            party = of and next((m for m in self.mentions if m.cls in ORG_PARTIES
                                 and self._named(m, of.group("owner"))), None)
            first = of and of.group("owner").split(" ")[0]
            if party is None and first and re.fullmatch(r"[A-Z]{2,}[\w*-]*", first):
                party = next((m for m in self.mentions if m.cls in ORG_PARTIES  # "chair of the
                              and self._named(m, first)), None)  # NWO Executive Board"
            if party is not None:
                out[person.key] = party.key
        for person in people:  # "with his Canadian counterpart, X": X signs for Canada
            before = re.search(r"\b(?:his|her|their|its) ([A-Z][\w’'-]+) counterparts?\b"
                               r"[^.;]{0,90}$",
                               self.text[max(0, person.start - 160):person.start])
            country = before and self.info["__demonyms__"].get(before.group(1))
            if country and person.key not in out:
                out[person.key] = country
        for person in people:  # "Minister of X A and Minister of Y B of Spain signed": B's
            # country after the name; else the ministry of the office the text names
            if person.key in out:
                continue
            of = next((m for m in self.mentions if m.start == person.end + 4
                       and self.text[person.end:m.start] == " of " and m.cls in ("Country",
                                                                                 "State")), None)
            ministry = next(iter(self._ministries_of_office(person)), None)
            if of or ministry:
                out[person.key] = (of or ministry).key
        missing = [p for p in people if p.key not in out]
        if missing and main:
            kinds = ("Country", "State", "IntergovernmentalOrganisation")
            # "EU and Brazil sign ...": the parties the headline names first
            pool = [m.key for m in self.mentions if m.start < headline and m.cls in kinds]
            pool += [m.key for m in ms if m.cls in kinds]
            pool += [m.key for m in self.mentions if m.start < 400 and m.cls in kinds]
            # "... the first visit to Ireland by an Argentine science minister": the one other
            # state the text names, when it names just one more
            later = [m.key for m in self.mentions if m.cls in kinds and m.key not in pool]
            pool += later if len(set(later)) == 1 else []
            left = [k for k in dict.fromkeys(pool) if k not in out.values()]
            top = list(dict.fromkeys(m.key for m in self.mentions
                                     if m.start < 400 and m.cls in kinds))
            if len(missing) == 1 and len(left) >= 1:
                out[missing[0].key] = left[0]
            elif len(missing) == 2 and len(top) == 2 and not set(top) & set(out.values()):
                # "FACT SHEET: The United States and Poland Launch ..." over "Secretary of
                # State A and Foreign Minister B signed": the two in the order named
                for person, key in zip(missing, top, strict=True):
                    out[person.key] = key
        return out

    def _named(self, m: Mention, owner: str) -> bool:
        """Whether ``owner`` (the "X" of "X's President", "X Director") names the body of
        mention ``m``: its name, the start of it, its acronym, glossed after it ("the African
        Research Universities Alliance (ARUA)") or not, or its name without "The"."""
        return (owner in (m.text, m.text.removeprefix("The "), m.info.get("acronym"))
                or m.label.startswith(owner + " ")
                or self.text.startswith(f" ({owner})", m.end))

    def _publisher_country(self, person: Mention) -> str | None:
        """"Ministry of Higher Education and Research / Press release / Paris, 18 November
        2025 ... by the Minister for Higher Education and Research, X": a minister of the
        ministry that issues the release (a line of its own above the text) signs for the
        country of the dateline's city."""
        if self.dateline is None:
            return None
        country = self.capitals.get(self.dateline.key)
        lines = [x for x in re.finditer(r"[^\n]+", self.text[:self.dateline.start])][:4]
        own = any(any(x.start() == m.start and x.end() == m.end for x in lines)
                  for m in self._ministries_of_office(person))
        return country if own else None

    def _ministries_of_office(self, person: Mention) -> list[Mention]:
        """The mentions of the ministry a minister's office names: "Ministry of X" for a
        person titled "Minister of X" (or "for X")."""
        span = self.info.get(person.key, {}).get("title_span")
        office = span and re.fullmatch(r"(?:the )?Minister (?:of|for) (.+)",
                                       self.text[span[0]:span[1]])
        if not office:
            return []
        return [m for m in self.mentions if m.cls == "Ministry" and re.fullmatch(
            rf"Ministry (?:of|for) {re.escape(office.group(1))}", m.text)]

    def _between_bodies(self, ms: list[Mention], people: list[Mention],
                        out: dict[str, str]) -> None:
        """"signed a Memorandum ... between METI and MEMR": an instrument between two bodies
        (or two governments, not states) is signed for them, each signer for the body their
        office names, a signer whose office names neither for the one left, two such signers
        for the two in the order named."""
        bodies: list[Mention] = []
        at = {m.start: m for m in ms if m.cls in (*BODIES, "Government")}
        for a in ms:  # "between" after the instrument's name or inside its title
            between = re.match(r"(?: \([^()]*\))? between (?:the )?", self.text[a.end:])
            inner = re.search(r" between (?:the )?", a.text)
            lo = a.end + between.end() if between else a.start + inner.end() if inner else -1
            b = "agreement" in groups([a.cls]) and at.get(lo)
            both = b and re.match(r" and (?:the )?", self.text[b.end:])
            c = both and at.get(b.end + both.end())
            if c:
                bodies = [b, c]
        if not bodies:
            return
        left = {m.key for m in bodies}
        unplaced = []
        for person in people:
            span = self.info.get(person.key, {}).get("title_span")
            own = span and next((m.key for m in self.mentions if span[0] <= m.start < span[1]
                                 and m.key in left), None)
            if own:
                out[person.key] = own
                left.discard(own)
            else:
                unplaced.append(person)
        if len(unplaced) == 1 and len(left) == 1:
            out[unplaced[0].key] = left.pop()
        elif len(unplaced) == 2 and not any(p.key in out for p in unplaced):
            # "the Agreement between the Government of Australia and the Government of the
            # Republic of Singapore ... by Minister A and Minister B", neither office naming a
            # side: the signers in the order of the sides
            for person, body in zip(unplaced, bodies, strict=True):
                out[person.key] = body.key

    def investments(self, start: int, end: int, ms: list[Mention], ds: list[DateMention],
                    money: list[Money]) -> None:
        """"X will invest/provide/contribute/commit/spend AMOUNT (over N years) (from P)
        in/to/for R", "a further AMOUNT investment in R", and the elliptic "and Y AMOUNT"
        after one of them. Ranges ("between €5 and €7 million"), per-project ceilings ("may
        receive up to") and conversions in parentheses are not investments."""
        previous: str | None = None  # the recipient of the sentence's last investment
        for x in money:
            before = self.text[start:x.start]
            after = self.text[x.end:end]
            cuts = [c.end() for c in re.finditer(r"[;]|, and |, while |, whereas | and (?=the |"
                                                 r"[A-Z])", before)
                    if not any(m.start < start + c.start() < m.end for m in ms)]
            clause = before[max(cuts, default=0):]  # not inside a name ("... Science and ...")
            verb = INVEST.search(clause)
            noun = re.match(r" (?:investment|of (?:new )?(?:investment|funding)|in (?:new )?"
                            r"(?:investment|funding))\b", after)
            elliptic = previous and re.fullmatch(r"(?:the )?\S+(?: \S+){0,3} ", clause)
            funds = None if (verb or noun or elliptic) else FUND_WITH.search(clause)
            funded = None if (verb or noun or elliptic or funds) else FUNDED_BY.search(clause)
            if funds:  # "The council is to fund joint projects with NT$45 million"
                verb = funds
            if funded:  # "R, which is funded by X with AMOUNT"
                self._funded_by(ms, start + len(before) - len(clause), funded, x, ds)
                continue
            if not (verb or noun or elliptic) or NOT_INVESTMENT.search(clause[-60:]) or \
                    re.search(r"[(（]$", before.rstrip()) or re.match(r"\s*(?:and|to|-|–) "
                                                                     rf"(?:{CUR_START})", after):
                continue
            subject = clause[:verb.start()] if verb else clause
            investor = self._investor(ms, start + len(before) - len(clause),
                                      start + len(before) - len(clause) + len(subject))
            recipient, quote_end = self._recipient(ms, x, end)
            if funds:
                lo = start + len(before) - len(clause)
                recipient, _ = self._what(ms, lo + funds.start("what"), lo + funds.end("what"),
                                          x)
                quote_end = x.end
                if recipient is None and re.fullmatch(r"(?:the|its|their) (?:\w+ )?(?:part|"
                                                      r"share|side)", funds.group("what")):
                    # "is to fund the Polish part with ...": of what the last sum went to
                    recipient = next((st.o for st in reversed(self.statements)
                                      if st.p == "recipient"), None)
            if recipient is None and elliptic:
                recipient, quote_end = previous, x.end
            if recipient is None and previous and investor is not None:
                recipient, quote_end = previous, x.end  # "..., and Y will contribute Z"
            if recipient is None and investor is not None:
                # "Japan will contribute ¥1.5 billion and India ₹90 crore to the programme"
                later = [y for y in money if y.start > x.end]
                # or "Italy will commit €8 million, through X, and Japan ¥1.2 billion to ..."
                if later and re.fullmatch(r"(?:,? (?:through|from|via) [^;]{0,80}?)?,? and "
                                          r"(?:(?:the )?\S+(?: \S+){0,3} )?",
                                          self.text[x.end:later[0].start]):
                    recipient, quote_end = self._recipient(ms, later[0], end)
            implied = None
            if recipient is None and investor is not None and verb and not re.match(
                    r"\s*(?:in|to|for|into|towards|on)\b", after):
                # "The UK will provide £10.5 million from the ISPF over four years": for what
                # the sentence before names (a programme, project, fund or facility)
                recipient = self._implied_recipient(start) or self._joint_work(x.start)
                implied = recipient and (f"the sum is for what the text names just before: "
                                         f"{self._label(recipient)}")
                quote_end = x.end
            if investor is None or recipient is None:
                continue
            lo = start + len(before) - len(clause) if verb else x.start
            span = (max(lo, investor.start), x.end + (len(noun.group(0)) if noun else 0))
            quote = (min(x.start, investor.start), quote_end)
            if self._investment(ms, ds, x, investor, recipient, span, quote, implied):
                previous = recipient

    def _funded_by(self, ms: list[Mention], lo: int, funded: re.Match, x: Money,
                   ds: list[DateMention]) -> None:
        """"the X Programme, which is funded by the Ministry of Y with NOK 15 million": the
        funder after "by", the recipient the name just before the verb."""
        verb = lo + funded.start()
        investor = self._investor(ms, lo + funded.start("who"), lo + funded.end("who"))
        recipient = next((m for m in reversed(ms) if m.end <= verb and re.fullmatch(
            r"(?: \([^()]*\))?,? (?:which |that |)", self.text[m.end:verb])
            and groups([m.cls]) & {"facility", "programme", "organisation"}
            and m.cls not in ("Government", "Ministry")), None)
        if investor is not None and recipient is not None:
            self._investment(ms, ds, x, investor, recipient.key, (investor.start, x.end),
                             (recipient.start, x.end), None)

    def _investment(self, ms: list[Mention], ds: list[DateMention], x: Money, investor: Mention,
                    recipient: str, span: tuple[int, int], quote: tuple[int, int],
                    implied: str | None) -> bool:
        """Draft the investment of ``x`` by ``investor`` in ``recipient`` (the investment's
        quote ``span``, the recipient's ``quote``):
        amount, currency, the programme it comes through and the year; False when it is not
        drafted (said again, or pesos of no country the text names)."""
        label = f"{x.text} investment in {self._label(recipient)}"
        key = slug(f"investment {recipient} {x.amount} {x.currency}")
        if any(n.key == key for n in self.new):
            return False  # said again (a bullet point repeating the body)
        currency, resolved = x.currency, None
        if currency == "":  # "40 million pesos": the peso of the country named before
            country = next((m for m in reversed(self.mentions) if m.start < x.start
                            and m.key in PESOS), None)
            if country is None:
                return False
            currency = PESOS[country.key]
            resolved = f"pesos in a sentence about {country.label} are {currency}"
        if x.text.lstrip().startswith("$") and self.dollar != "USD":
            currency = self.dollar
            resolved = f"\"$\" in a text from {self.dollar_country} is {self.dollar}"
        self.new.append(NewEntity(key, "Investment", label, *span))
        self.add(key, "investor", investor.start, x.end, o=investor.key)
        self.add(key, "recipient", *quote, o=recipient, resolved=implied)
        ceiling = re.search(r"\bup to $", self.text[:x.start])
        self.add(key, "amount", x.start - (6 if ceiling else 0), x.end, value=x.amount,
                 resolved=x.resolved or ("\"up to\" gives the ceiling of the commitment, "
                                         "recorded as its amount" if ceiling else None))
        self.add(key, "currency", x.start, x.end, value=currency, resolved=resolved)
        # "£14 million from the ISPF over three years", "KSh 600 million (about £3.7 million)
        # through Kenya’s National Research Fund": the programme the sum comes through
        via = next((m for m in ms if x.end < m.start < max(quote[1], x.end + 60)
                    and "programme" in groups([m.cls]) and m.key != recipient and re.fullmatch(
                        r"(?: \([^()]{0,40}\))?(?: over \w+ years)?,? (?:from|through|under) "
                        r"(?:the |its |their |[A-Z][\w-]*(?:’s|'s) )?",
                        self.text[x.end:m.start])), None)
        if via is not None:
            self.add(key, "partOfProgramme", x.start, via.end, o=via.key)
            if re.search(r"\b(?:from|through|under) (?:its|their) $",
                         self.text[via.start - 16:via.start]):  # "from its National Space Fund"
                self.add(via.key, "runBy", investor.start, via.end, o=investor.key)
        year = next((d for d in ds if len(d.value) == 4 and 0 <= d.start - x.end < 40
                     and self.text[d.start - 3:d.start] == "in "), None)
        if year:
            self.add(key, "inYear", year.start, year.end, value=year.value,
                     resolved=year.resolved)
        return True

    def _implied_recipient(self, start: int) -> str | None:
        """The last programme, project, fund or facility named in the sentence before
        ``start`` (a described one included), if any."""
        spans = [(a, b) for a, b in sentences(self.text[:start]) if self.text[a:b].strip()]
        if not spans:
            return None
        lo, hi = spans[-1]
        kinds = ("Programme", "FundingProgramme", "Fund", "ResearchProject", "ResearchFacility",
                 "Synchrotron", "NeutrinoExperiment")  # not an institute or a university
        named = [(m.start, m.key) for m in self.mentions if lo <= m.start < hi and m.cls in kinds]
        named += [(n.start, n.key) for n in self.new if lo <= n.start < hi and n.cls in kinds]
        # "a joint call under the SICORP programme": the call, not the programme it is under
        under = {k for a, k in named if re.search(r"\bunder (?:the |its )?$",
                                                  self.text[max(0, a - 12):a])}
        inner = [(a, k) for a, k in named if k not in under]
        named = inner or named
        return max(named)[1] if named else None

    def _joint_work(self, before: int) -> str | None:
        """The one joint work the text describes before ``before`` ("will fund joint projects
        in astronomy"), if it describes just one."""
        keys = {m.key for m in self.mentions if m.info.get("joint_work") and m.start < before}
        return keys.pop() if len(keys) == 1 else None

    def _investor(self, ms: list[Mention], lo: int, hi: int) -> Mention | None:
        """The subject of an investing verb: the last actor named before it in its clause; a
        capital named for its state ("Seoul will spend") is the state."""
        actors = [m for m in ms if lo <= m.start < hi and (m.cls in INVESTORS or (
            m.cls == "City" and self.capitals.get(m.key)))]
        if not actors:
            return None
        m = actors[-1]
        if m.cls == "City":  # "Seoul will spend": the state, quoted by its capital's name
            country = self.capitals[m.key]
            if not any(x.key == country for x in self.mentions + self.new):
                self.new.append(NewEntity(country, "Country", country, m.start, m.end))
            return Mention(m.start, m.end, m.text, "Country", country, True, country)
        return m

    def _recipient(self, ms: list[Mention], x: Money, end: int) -> tuple[str | None, int]:
        """What an amount goes to, after "in", "to", "for", "into" or "towards" (past "over N
        years" and "from P"): a named programme, facility or organisation; "the programme",
        "the same research", "the new laboratory" named before; or a described one ("in joint
        research on lunar dust"), made an entity of its own."""
        after = list(self.text[x.end:end])
        for m in ms:  # names are opaque: "from its Moon to Mars Initiative in ..."
            if x.end <= m.start and m.end <= end:
                after[m.start - x.end:m.end - x.end] = "X" * (m.end - m.start)
        after = "".join(after)
        d = re.match(r"(?: \([^()]{0,40}\))?"  # "16 billion won (about $11.6 million) to"
                     r"(?: available| investment| of (?:new )?funding)?"
                     r"(?:,? over (?:the next )?\w+ years?)?"
                     # "€25 million between 2026 and 2028 to ...": the years it is spent in
                     r"(?:,? (?:between|from) (?:19|20)\d\d (?:and|to) (?:19|20)\d\d)?"
                     r"(?:,? (?:from|through) (?:[^,.;]+?))??,? (?:to support|to fund|in|for|to|"
                     r"into|towards|on) (?P<what>\S.*?)(?=[,;]|\.(?:\s|$)| over\b| from\b|"
                     r" through\b| which\b| under\b| and (?:the |[A-Z])|$)", after)
        if not d:
            return None, x.end
        return self._what(ms, x.end + d.start("what"), x.end + d.end("what"), x)

    def _what(self, ms: list[Mention], s: int, e: int, x: Money) -> tuple[str | None, int]:
        """The recipient the words ``text[s:e]`` name, and where its quote ends."""
        named = next((m for m in ms if s <= m.start < e and re.fullmatch(
            # "the ILL's Endurance upgrade programme": the programme, not its owner
            r"(?:the |its |a |an |new |joint )*(?:[A-Z]\S*(?:’s|'s) )?"
            r"(?:\S+(?:’s|'s) participation in |participation in )?"
            # "the second phase of the X Programme", "the upgrade of X"
            r"(?:(?:\w+ )?(?:phase|stage|round|construction|upgrade|expansion|extension|"
            r"operation) of (?:the |its )?)?",
            self.text[s:m.start])
            and groups([m.cls]) & {"facility", "programme", "organisation"}
            and m.cls not in ("Government", "Ministry")
            and not re.match(r"(?:’s|'s) (?!participation\b)", self.text[m.end:m.end + 3])),
            None)
        if named is not None:
            return named.key, named.end
        what = self.text[s:e]
        short = re.fullmatch(r"(?:the|its) ([A-Z][\w-]*(?: [A-Z][\w-]*)*)", what)
        if short:  # "to the Hydrogen Research Bridge": the "Australia-Germany Hydrogen Research
            # Bridge" named before
            earlier = next((m for m in reversed(self.mentions) if m.start < x.start
                            and groups([m.cls]) & {"facility", "programme"}
                            and m.label.endswith(" " + short.group(1))), None)
            if earlier is not None:
                return earlier.key, e
        back = re.match(r"(?:the|its) (?:same |new |joint )*([a-z]+)$", what)
        called = re.match(r",? (?:which will be|to be|) ?(?:called|known as|named) (?:the )?",
                          self.text[e:e + 40])
        if back and called:  # "to the programme, which will be called the X Partnership"
            later = next((m for m in ms if m.start == e + called.end()), None)
            if later is not None:
                return later.key, later.end
        joint = self._joint_work(x.start)
        if back and "joint" in what and joint is not None:  # "for the joint work": the joint
            return joint, e  # work the text describes ("will carry out joint studies of ...")
        if back:  # "the programme", "the same research": named earlier
            noun = back.group(1).rstrip("s")
            noun = {"programme": "program"}.get(noun, noun)  # "the programme": "... Program"
            earlier = [(n.start, n.key) for n in self.new if n.start < x.start
                       and n.cls != "Investment" and n.cls not in LIFECYCLE
                       and noun in n.label.lower()]
            earlier += [(m.start, m.key) for m in self.mentions if m.start < x.start
                        and groups([m.cls]) & {"facility", "programme"}
                        and noun in m.label.lower()]
            if "same" in what:
                earlier += [(n.start, st.o) for n in self.new if n.cls == "Investment"
                            for st in self.statements if st.s == n.key and st.p == "recipient"]
            if earlier:
                return max(earlier)[1], e
            return None, x.end
        if re.match(r"[a-z]", what) and (re.search(
                r"\b(?:research|work|projects?|fellowships?|programmes?|training|exchanges?|"
                r"stud(?:y|ies)|experiments?|campaigns?|calls?)\b", what) or re.match(
                    r"(?!being\b)[a-z]{3,}ing (?:the|a|an|new) ", what)):
            # "for integrating the UK-built components at Brookhaven": work to be done
            what = re.sub(r"^(?:a|an|new) ", "", what)
            cls = "ResearchProject" if re.search(
                r"\b(?:research|work|stud|experiment|campaign|project)|^[a-z]{3,}ing ", what) \
                else "Programme"
            key = slug(what)
            if not any(n.key == key for n in self.new):
                self.new.append(NewEntity(key, cls, what[0].upper() + what[1:], e - len(what),
                                          e))
            return key, e
        return None, x.end

    def topics_in(self, m: Mention) -> list[str]:
        """Technology areas named inside an instrument's title ("... on Fusion Energy
        Research")."""
        folded, out = m.text.lower(), []
        for name, key in self.topic_names:  # longest first: "green hydrogen", not "hydrogen"
            found = re.search(rf"\b{re.escape(name)}\b", folded)
            if found and name not in GENERIC_TOPICS:
                out.append(key)
                folded = folded[:found.start()] + "#" * len(name) + folded[found.end():]
        return list(dict.fromkeys(out))

    def _label(self, key: str) -> str:
        m = next((m for m in self.mentions if m.key == key), None)
        n = next((n for n in self.new if n.key == key), None)
        return m.label if m else n.label if n else key

    def part_of(self, ms: list[Mention]) -> None:
        """"the Science and Technology Facilities Council (STFC), part of UK Research and
        Innovation": a body part of another."""
        bodies = [m for m in ms if m.cls in BODIES or m.cls == "PublicBody"]
        for m, o in itertools.pairwise(bodies):
            if m.key != o.key and re.fullmatch(r"\)?(?: \([^()]*\))?, (?:itself |now )?(?:a |)"
                                               r"part of (?:the )?", self.text[m.end:o.start]):
                self.add(m.key, "subOrganisationOf", m.start, o.end, o=o.key)

    def places(self, start: int, end: int, ms: list[Mention]) -> None:
        """"the Japanese city of Sendai", "Sudbury, Ontario", "West Burton in Nottinghamshire",
        "TRIUMF ... in Vancouver"; "the reactor of the Institut Laue-Langevin", "..., operated
        by the NCRA": hostedBy; "the programme run by the Ministry ...": runBy."""
        for i, m in enumerate(ms):
            nxt = ms[i + 1] if i + 1 < len(ms) else None
            if m.cls in ("City", "Place", "Region"):
                demonym = re.search(r"\b(?:the )?([A-Z]\w+) city of $", self.text[start:m.start])
                if demonym and m.cls == "City":
                    country = self.info.get("__demonyms__", {}).get(demonym.group(1))
                    if country:
                        self.add(m.key, "locatedIn", start + demonym.start(1), m.end, o=country)
                elif nxt and nxt.cls in WIDER.get(m.cls, ()) and re.fullmatch(
                        r", | in |,? in the ", self.text[m.end:nxt.start]):  # "Matera, in the
                    # Basilicata region"
                    self.add(m.key, "locatedIn", m.start, nxt.end, o=nxt.key)
            elif (groups([m.cls]) & {"facility", "organisation"} or m.cls == "ResearchProject") \
                    and m.cls not in ("Government", "Ministry", "Post", "FundingBody",
                                      "IntergovernmentalOrganisation", "PublicBody") \
                    and not re.search(r"\b(?:Committee|Council|Commission|Board|Working Group|"
                                      r"Task Force)\b", m.label):  # bodies that meet somewhere
                field = nxt
                if field and field.cls == "TechnologyArea" and field.start - m.end <= 2 and \
                        "facility" in groups([m.cls]):
                    self.add(m.key, "researchField", m.start, field.end, o=field.key)
                place = next((p for p in ms[i + 1:i + 3] if p.cls in ("City", "Country", "Place",
                                                                      "Region")), None)
                # "the LUMI supercomputer in Kajaani", "the Marine Institute’s headquarters in
                # Oranmore", "(PAL) in the southeastern city of Pohang", "... on Cerro Pachón",
                # "..., in the Coquimbo Region"
                region = "|the " if place and place.cls == "Region" else ""
                if (place and re.fullmatch(
                        rf"(?: \([^)]*\))?(?:(?:’s|'s)? headquarters|,? (?:the |an? )?"
                        rf"(?:[a-z][\w-]* ){{0,2}}"  # "SESAME, the synchrotron light source in"
                        rf"(?:{LOWER_HEADS}|centre|center|campus|site|source))?,? (?:is |are )?"
                        r"(?:based |located |under construction )?(?:in|at) "
                        rf"(?:the (?:[A-Za-z]+ )?city of {region})?",
                        self.text[m.end:place.start])) or (
                        place and place.cls == "Place"
                        and re.fullmatch(r"(?: \([^)]*\))? on ", self.text[m.end:place.start])):
                    self.add(m.key, "locatedIn", m.start, place.end, o=place.key)
            if "facility" in groups([m.cls]) or "programme" in groups([m.cls]):
                self._operator(m, ms[i - 1] if i else None, ms[i + 1:i + 6])

    def _operator(self, m: Mention, before: Mention | None, after: list[Mention]) -> None:
        """Who runs a facility or programme: "..., operated by X", "... in Y, which is run
        jointly by X and Z", "... that X operates", "the reactor of the ILL", "X's Y"."""
        p = "runBy" if "programme" in groups([m.cls]) and m.cls != "ResearchInstitute" \
            else "hostedBy"
        if before is not None and before.cls in OPERATORS and \
                self.text[before.end:m.start] in ("’s ", "'s "):  # "ASI's COSMO-SkyMed"
            if m.cls not in ("ResearchInstitute", "University"):
                self.add(m.key, p, before.start, m.end, o=before.key)
            elif re.search(r"\bInstitut", m.label):  # "A*STAR's Bioinformatics Institute"
                self.add(m.key, "subOrganisationOf", before.start, m.end, o=before.key)
            return  # a "Centre" may be either: nothing
        for n, o in enumerate(after):
            if o.key == m.key or not (o.cls in OPERATORS or (p == "runBy" and o.cls == "Ministry")):
                continue  # "The X Fund is managed by the Department for ...": a ministry's
            between = self.text[m.end:o.start]
            if p == "hostedBy" and m.cls not in ("ResearchInstitute", "University") and \
                    re.fullmatch(r" (?:[a-z][\w-]* )?at (?:the )?(?:[A-Z][\w-]*(?:’s|'s) )?",
                                 between):
                # "the ASPIRE 2A supercomputer at Singapore's National Supercomputing Centre"
                self.add(m.key, p, m.start, o.end, o=o.key)
                break
            if re.fullmatch(r"(?: \([^)]*\))?,? (?:that|which) (?:the )?", between) and re.match(
                    r" (?:operates|runs|manages|hosts|leads)\b", self.text[o.end:]):
                self.add(m.key, p, m.start, o.end + 9, o=o.key)  # "that KASI operates"
                break
            if re.fullmatch(r"(?: \([^)]*\))?(?:,? (?:the|a) [^,.;()]{0,60})?"
                            r"(?:,? (?:in|at|on) [A-Z][^,.;()]{0,40}(?:, [A-Z][\w’ -]{0,30})?)?"
                            r",? (?:(?:which is |"
                            r"to be |is |are )?(?:operated|run|managed|hosted|owned|led|"
                            r"coordinated)"
                            r"(?: jointly)? (?:by|at)|of)"
                            r" (?:the )?(?:[A-Z][\w’]*’s |[A-Z]\w+ )?(?:[\w-]+ ){0,3}?", between) \
                    and len(between) < 120:
                joint = after[n + 1] if n + 1 < len(after) else None
                if joint is not None and joint.cls in OPERATORS and re.fullmatch(
                        r"(?: \([^)]*\))? and (?:the )?", self.text[o.end:joint.start]) \
                        and not re.match(r" [A-Z]", self.text[joint.end:]):  # "run jointly by
                    # X and Z"
                    self.add(m.key, p, m.start, joint.end, o=joint.key)
                if re.search(r"\bof (?:the )?$", between) or re.fullmatch(
                        r"(?: \([^)]*\))? of ", between):
                    if m.cls in ("ResearchInstitute", "University"):
                        self.add(m.key, "subOrganisationOf", m.start, o.end, o=o.key)
                        break
                    if not re.fullmatch(r"(?: \([^)]*\))?(?: [a-z][\w-]*)* of (?:the )?", between):
                        break
                self.add(m.key, p, m.start, o.end, o=o.key)
            break

    def meetings(self, ms: list[Mention], ds: list[DateMention]) -> None:
        """"The G7 ... Meeting, hosted in the Japanese city of Sendai in the last few days",
        "the next meeting of the X Committee will take place in Hanoi": heldIn, the date, and
        organisedBy the body whose meeting it is."""
        for m in ms:  # "the state visit of X to Brazil"
            where = next((p for p in ms if m.cls == "Visit" and p.start == m.info.get("to")
                          and p.cls in ("Country", "City", "Region", "Place")), None)
            if where is not None:
                self.add(m.key, "visitedPlace", m.start, where.end, o=where.key)
        for i, m in enumerate(ms):
            if m.cls == "Visit":  # "a visit by a McGill delegation ..., led by X", "X led a
                # Singapore research delegation to Japan"
                leader = next((p for p in ms if p.cls == "Person" and (re.search(
                    r"\bled by (?:[A-Z][\w()-]* (?:\([^)]*\) )?)*$",
                    self.text[m.end:p.start][:120]) or re.fullmatch(
                        r" led (?:an?|the|its|their) ", self.text[p.end:m.start]))), None)
                if leader is not None:
                    lo, hi = sorted((m.start, m.end, leader.start, leader.end))[::3]
                    self.add(m.key, "participant", lo, hi, o=leader.key)
                when = next((d for d in ds if len(d.value) == 7 and d.start > m.end
                             and d.start - m.end < 80), None)
                if when:
                    self.add(m.key, "inMonth", when.start, when.end, value=when.value,
                             resolved=when.resolved)
            if m.cls != "Meeting":
                continue
            place = next((p for p in ms[i + 1:] if p.cls == "City"), None)
            country = ms[i + 1] if i + 1 < len(ms) and ms[i + 1].cls == "Country" else None
            if place is None and country and re.fullmatch(
                    r",? (?:will be|is to be|was|is) held in (?:the )?",
                    self.text[m.end:country.start]):  # "will be held in the Philippines"
                place = country
            if place and re.search(r"\b(?:held|hosted|taking place|take place|took place|in)\b",
                                   self.text[m.end:place.start]) and place.start - m.end < 160:
                self.add(m.key, "heldIn", m.start, place.end, o=place.key)
            when = next((d for d in ds if d.start > m.end and d.start - m.end < 160), None)
            if when and m.cls == "Visit" and len(when.value) != 7:
                when = None  # a visit's days ("from 9 to 11 June"): its month only
            if when:
                p = {10: "onDate", 7: "inMonth", 4: "inYear"}[len(when.value)]
                self.add(m.key, p, when.start, when.end, value=when.value,
                         resolved=when.resolved)
            if m.info.get("body") is not None:  # "the 10th X Joint Committee"
                self.add(m.key, "organisedBy", m.start, m.end, o=m.info["body"].key)
            owner = next((o for o in reversed(ms[:i]) if o.cls in (
                "IntergovernmentalOrganisation", "Organisation", "IntergovernmentalForum")), None)
            if owner is not None and re.fullmatch(r"\)? (?:\([^()]{2,12}\) )?",
                                                  self.text[owner.end:m.start]):
                # "the Asia-Pacific Economic Cooperation (APEC) leaders' summit"
                self.add(m.key, "organisedBy", owner.start, m.end, o=owner.key)
            body = ms[i + 1] if i + 1 < len(ms) else None
            if body and m.info.get("generic") and re.fullmatch(r" of (?:the )?",
                                                               self.text[m.end:body.start]):
                self.add(m.key, "organisedBy", m.start, body.end, o=body.key)
            holder = next((o for o in reversed(ms[:i]) if o.cls in ("Organisation", "Agency")),
                          None)
            if m.info.get("its") and holder is not None and re.fullmatch(
                    r" (?:will |is to |shall |)(?:hold|holds|held|host|hosts|convene) ",
                    self.text[holder.end:m.start]):  # "The X Commission will hold its next meeting"
                self.add(m.key, "organisedBy", holder.start, m.end, o=holder.key)

    def launchers(self, start: int, ms: list[Mention]) -> None:
        """"ANID and KASI will launch a Chile-Korea Astronomy Fellowship Programme", "The Fram
        Centre in Tromsø will coordinate a new ... Programme": the bodies that open or run a
        programme, named as the subject of the verb, run it."""
        for m in ms:
            if "programme" not in groups([m.cls]) or m.cls == "ResearchInstitute":
                continue
            verb = re.search(r"\b(?:will|to|shall|would) (?:jointly )?(?:launch|open|set up|run|"
                             r"lead|establish|create|manage|coordinate)(?: jointly)? "
                             r"(?:an? |the |its |their )?(?:new |joint )*$",
                             self.text[start:m.start])
            if not verb:
                continue
            opening = re.match(rf"\s*(?:(?:Under|As part of) (?:the|this) (?:{ANAPHORS}),? )?",
                               self.text[start:start + verb.start()], re.IGNORECASE)
            lo, hi = start + opening.end(), start + verb.start()
            subject = [o for o in ms if lo <= o.start and o.end <= hi]
            rest = list(self.text[lo:hi])
            for o in subject:
                rest[o.start - lo:o.end - lo] = " " * (o.end - o.start)
            bodies = [o for o in subject if o.cls in (*OPERATORS, "Ministry")]
            if bodies and all(o.cls in (*OPERATORS, "Ministry", "City", "Country", "State")
                              for o in subject) and re.fullmatch(
                    r"(?:[\s,()]|\b(?:and|the|The|in)\b|[A-Z][\w’']*(?:’s|'s))*", "".join(rest)):
                for o in bodies:
                    self.add(m.key, "runBy", o.start, m.end, o=o.key)

    def chairs(self, start: int, end: int, ms: list[Mention]) -> None:
        """"The Meeting was chaired by X", "The Committee was co-chaired by X and Y", "was
        attended by X": the people are participants of the meeting the sentence names, or of
        the last one named before it ("The Meeting", "The Committee")."""
        sentence = self.text[start:end]
        by = re.search(r"\b(?:(?:was|were) |and )?(?:co-chaired|chaired|attended|opened|"
                       r"co-hosted) (?:jointly )?by\b", sentence)  # "..., held in X and
        # co-chaired by A and B"
        if not by:
            return
        subject = sentence[:by.start()]
        here = [m for m in ms if m.cls == "Meeting" and m.start < start + by.start()]
        meeting = here[-1] if here else None
        if meeting is None and re.search(r"\b[Tt]he (?:[Mm]eeting|Committee|Commission|Forum|"
                                         r"Conference|Session|Dialogue|Council)\s*$", subject):
            meeting = next((m for m in reversed(self.mentions) if m.cls == "Meeting"
                            and m.start < start), None)
        if meeting is None:
            return
        for m in ms:
            if m.cls == "Person" and m.start > start + by.start():
                self.add(meeting.key, "participant", start + by.start(), m.end, o=m.key)

    def governments(self, ms: list[Mention]) -> None:
        """"the Government of Canada": governmentOf; an office "Minister of X" and the
        "Ministry of X" the text names: postIn; an office "Head of the Agency": postIn."""
        for m in ms:
            country = m.info.get("country")
            if m.cls == "Government" and country:
                self.add(m.key, "governmentOf", m.start, m.end, o=country)
            if m.cls != "Post":
                continue
            inner = next((o for o in self.mentions if m.start <= o.start and o.end <= m.end
                          and o.cls in (*OPERATORS, "Ministry") and o.key != m.key), None)
            if inner is not None and re.search(r"\b(?:of|Head|Director|President)\b",
                                               self.text[m.start:inner.start]):
                self.add(m.key, "postIn", m.start, m.end, o=inner.key)
                continue
            owner = self._owner(m.text)
            if owner is not None:  # "NEDO Executive Director", "Research Council of Finland
                # President", "ESO’s Director General": the body named before the title
                self.add(m.key, "postIn", m.start, m.end, o=owner.key)
                continue
            office = re.match(r"(?:the )?(?:\S+ )?Minister ((?:of|for) .+)$", m.text)
            if office:
                ministry = next((o for o in self.mentions if o.cls == "Ministry" and
                                 re.search(rf"\bMinistry {re.escape(office.group(1))}\b", o.text)),
                                None)
                if ministry is not None:
                    self.add(m.key, "postIn", m.start, m.end, o=ministry.key)

    def _owner(self, title: str) -> Mention | None:
        """The body whose name or acronym starts an office's title ("JST President", "MAX IV
        Director", "HZB Scientific Director"), if the text names it; a country's or a
        demonym's office ("UK Science Minister") has none."""
        owner = P.title_owner(title)
        if not owner or owner in self.info["__demonyms__"]:
            return None
        bodies = sorted((m for m in self.mentions if m.cls in (*ORG_PARTIES, "PublicBody")),
                        key=lambda m: (not (m.text == owner or m.label == owner
                                            or m.info.get("acronym") == owner),
                                       not m.label.startswith(owner + " "),
                                       "facility" in groups([m.cls])))
        return next((m for m in bodies if m.text == owner or m.label == owner
                     or m.label.startswith(owner + " ") or m.info.get("acronym") == owner),
                    None)

    def _cooperate_under(self, start: int, sentence: str, ms: list[Mention],
                         ags: list[Mention]) -> None:
        """"The UK and the Republic of Korea cooperate under the two countries’ Agreement on
        ...", "Korea and Sweden have cooperated under a science and technology agreement":
        ``participantIn`` for the states named (the text says they take part, not how they
        consented, so no party)."""
        coop = COOPERATE_UNDER.search(sentence)
        if not coop:
            return
        at, after = start + coop.start(), start + coop.end()
        target = next((a for a in ags if after - 4 <= a.start <= after + 20), None)
        actors = [m for m in ms if m.end <= at and m.cls in PARTICIPANTS]
        if target is None or len(actors) < 2:
            return
        for actor in actors:
            self.add(actor.key, "participantIn", actors[0].start, target.end, o=target.key)

    def _in_force_since(self, start: int, end: int, ags: list[Mention]) -> None:
        """"the Agreement ..., which entered into force in 1993", "... which has been in force
        since 1971": an ``EntryIntoForce`` of the agreement named last before, in that year."""
        for m in IN_FORCE_SINCE.finditer(self.text, start, end):
            before = [a for a in ags if a.end <= m.start()]
            if not before:
                continue
            agreement = before[-1]
            key = slug(f"entry into force of {agreement.key}")
            if any(n.key == key for n in self.new):
                continue
            self.new.append(NewEntity(key, "EntryIntoForce",
                                      f"Entry into force of the {agreement.label}",
                                      m.start(), m.end()))
            self.add(key, "eventOf", m.start(), m.end(), o=agreement.key)
            year = m.group("year") or m.group("since")
            self.add(key, "inYear", m.start(), m.end(), value=year, resolved=None if m.group(
                "year") else f"in force since {year}: it entered into force in {year}")

    def _owner_only(self, m: Mention) -> bool:
        """Whether a body is named only as what another thing is of: "the NRC's Canadian
        Photonics Fabrication Centre" (the centre is put under the instrument, not the NRC),
        "the Holst Centre in Eindhoven, which TNO runs"."""
        return bool(re.match(r"(?:’s|'s) ", self.text[m.end:m.end + 3])
                    or re.search(r"\b(?:which|that) (?:the )?$", self.text[m.start - 12:m.start]))

    def agreements(self, start: int, end: int, ms: list[Mention]) -> None:
        """"an Implementing Arrangement under the ... Agreement": implements; "renew ... the
        ... Agreement": renews; technology areas named with the main agreement or in an
        instrument's title: subject; "Under the MoU, A and B will ...": involves; "Agreement
        between the Government of X and the Government of Y": partyTo (participantIn when the
        instrument is a memorandum or arrangement, which has no parties); "..., which entered
        into force in 1993": an entry into force."""
        ags = [m for m in ms if "agreement" in groups([m.cls])]
        sentence = self.text[start:end]
        main = self.main
        under = re.match(rf"\s*(?:•\s*)?(?:Under|As part of|Through) (?:the|this) (?:new )?"
                         rf"(?:{ANAPHORS})\b,?", sentence, re.IGNORECASE)
        if main is not None and under:
            hedge = re.search(r"\b(?:will|to) (?:study|examine|explore|consider|assess|look at)\b",
                              sentence)
            for m in ms:
                if (groups([m.cls]) & {"facility", "organisation", "programme"}
                        and m.cls not in ("Government", "Post", "Country", "State")
                        and not (hedge and m.start > start + hedge.start())
                        and not self._owner_only(m)):
                    self.add(main.key, "involves", start, m.end, o=m.key)
        for m in ms:  # "The first call for proposals under the memorandum", "the Joint
            # Committee ..., established by the memorandum"
            cue = re.match(rf",? (?:(?:to be |was |were |is |are |will be )?(?:set up|created|"
                           rf"launched|established|opened|run|funded|made available) )?(?:under|"
                           rf"established by|set up by|created by) (?:the|this) (?:new )?"
                           rf"(?:{ANAPHORS})\b", self.text[m.end:m.end + 80], re.IGNORECASE)
            if main is not None and cue and m.key != main.key and groups([m.cls]) & {
                    "facility", "programme", "organisation"} and m.cls not in (
                    "Government", "Post", "Country", "State", "Ministry"):
                self.add(main.key, "involves", m.start, m.end + cue.end(), o=m.key)
        made = re.search(rf"\b(?:[Tt]he|[Tt]his|[Bb]oth) (?:new )?(?:{ANAPHORS})s? (?:is|are|was|"
                         rf"were|will be) (?:made |concluded |signed |being concluded )?under "
                         rf"the ", sentence)
        if main is not None and made:
            target = next((m for m in ags if m.start == start + made.end()), None)
            if target is not None and target.key != main.key:
                self.add(main.key, "implements", start + made.start(), target.end, o=target.key)
        for a in ags:
            for t in self.topics_in(a):
                self.add(a.key, "subject", a.start, a.end, o=t)
            between = re.search(r"\bbetween the Government of .+ and the Government of ", a.text)
            govs = [m for m in self.mentions if a.start <= m.start < a.end
                    and m.cls == "Government"]
            signed = any(st.p == "signatureOf" and st.o == a.key for st in self.statements)
            if between and len(govs) >= 2 and not signed:
                lo = a.start + between.start() + len("between ")
                p = "partyTo" if a.cls in ("Agreement", *BINDING) else "participantIn"
                for g in govs:
                    self.add(g.key, p, lo, govs[-1].end, o=a.key)
        self._in_force_since(start, end, ags)
        self._cooperate_under(start, sentence, ms, ags)
        for a, b in itertools.pairwise(ags):
            between = self.text[a.end:b.start]
            if a.key != b.key and re.search(r"\b(?:under|implements|implementing)\b", between) \
                    and len(between) < 80:
                self.add(a.key, "implements", a.start, b.end, o=b.key)
        sentence = self.text[start:end]
        renew = re.search(r"\brenew\w*\b", sentence)
        if renew and self.main is not None:
            target = next((m for m in ags if m.start > start + renew.start()
                           and m.key != self.main.key), None)
            if target:
                self.add(self.main.key, "renews", start + renew.start(), target.end,
                         o=target.key)
        topics = [m for m in ms if m.cls == "TechnologyArea"]
        cue = re.search(r"\b(?:agreement|arrangement|deal|memorandum)\b", sentence,
                        re.IGNORECASE)
        if self.main is not None and topics and cue:
            for t in topics:
                lo = min(start + cue.start(), t.start)
                hi = max(start + cue.end(), t.end)
                self.add(self.main.key, "subject", lo, hi, o=t.key)
