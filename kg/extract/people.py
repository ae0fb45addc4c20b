"""People and the offices they hold, as press releases name them.

- after an office title and a comma: "the UK’s Secretary of State for Science, Innovation and
  Technology, Eleanor Whitcombe, and Korea’s Minister of Science and ICT, Yoo Sang-hyun";
- after an honorific, with the office before or after: "Dato’ Dr. Khairul Anuar bin Zainal",
  "Mr. HAYASHI Kenta, Director-General of the Science and Technology Policy Bureau";
- right after a long title (read from capitalised runs in :mod:`kg.extract.mentions`).

Names may have particles ("van der", "bin", "de"), hyphens, initials ("Monica P. Whitfield"),
letters outside ASCII ("Ádám Kovács-Szabó", "Trần Thị Thu Hà") and a family name in capitals
first ("HAYASHI Kenta", labelled "Hayashi Kenta"). Honorifics are dropped from the label.
"""

from __future__ import annotations

import re

# every upper-case letter of Latin-1, Latin Extended-A/B and Latin Extended Additional
_UPPER = "".join(c for r in ((0xC0, 0x250), (0x1E00, 0x1F00)) for c in map(chr, range(*r))
                 if c.isupper())
UP = f"[A-Z{_UPPER}]"
NAME_WORD = rf"(?:{UP}[\w’'-]*\w|{UP}\.)"
PARTICLE = (r"(?:van der|van den|van de|von der|von|van|de la|de los|del|della|de|dos|das|da|"
            r"du|di|bin|binti|bint|ibn|al|el|le|ter|ten|zu|Ó|Ní|Nic|Mac|Uí|Ua|i|y)")  # "Vilaró i"
HONORIFIC = (r"(?:Dr\.?|Prof\.?|Professor|Mr\.?|Ms\.?|Mrs\.?|Mx\.?|Ir\.|Ing\.|Drs\.|Mag\.|"
             r"Dame|Sir|Dato’ Seri|Dato' Seri|Datuk Seri|Dato’|Dato'|Shri|Smt\.?|Shrimati|Kumari|"
             r"Datuk|Tan Sri|Senator the Hon\.?|Senator|[Tt]he Honourable|[Tt]he "
             r"Hon\.?|Hon\.?|H\.E\.|Her Excellency|His Excellency|Excellency)")
# letters after a name that are not part of it: "Pádraig Ó Súilleabháin TD", "... MP"
POSTNOMINAL = r"(?:TD|MP|MEP|MLA|MSP|MdB|QC|KC|FRS|OBE|CBE|KBE|DBE|AO|AC)"
NAME_WORD = rf"(?!{POSTNOMINAL}\b){NAME_WORD}"
NAME = rf"{NAME_WORD}(?: (?:{PARTICLE} )?{NAME_WORD}){{1,4}}"
_END = (rf"(?:,? {POSTNOMINAL}\b)?"  # where the capitalised words end
        r"(?=[,;:)]|\s+[a-z(“\"]|’s|'s|\.(?:\s|$)|[ \t]*(?:\n|$))")  # or a line's end
AFTER_COMMA = re.compile(rf"(?<=, )(?P<hon>(?:{HONORIFIC} )*)(?P<name>{NAME}){_END}")
# "signed by Do Van Khai, Minister of Science and Technology, for Viet Nam", "the signatures
# of Angela Castellanos, Director of ...", "..., and Karim
# Benali, Minister of ...", "Ingrid Moe, Minister of ..., signed for Norway": a name after "by",
# "and", "with", ": " or at a sentence's start is a person only when an office follows it
# (kg.extract.mentions.Finder.listed_people)
AFTER_BY = re.compile(rf"(?:(?<=\bby )|(?<=\bwith )|(?<=\band )|(?<=\bthrough )|(?<=\bof )|"
                      rf"(?<=\. )|(?<=^)|(?<=^Photo: )|(?<=: ))"
                      rf"(?P<hon>(?:{HONORIFIC} )*)"
                      rf"(?P<name>{NAME}){_END}", re.MULTILINE)
# '"...," said Ingrid Moe, who signed for CERN': a name after a quotation's "said" is a
# person's, with an office after it or none
AFTER_SAID = re.compile(rf"(?<=[”\"] said )(?P<hon>(?:{HONORIFIC} )*)(?P<name>{NAME}){_END}")
AFTER_HONORIFIC = re.compile(rf"(?<![\w’'])(?P<hon>(?:{HONORIFIC} )+)(?P<name>{NAME}){_END}")

# words that never belong to a person's name (fields, office and organisation words)
NOT_NAMES = set("""
Minister Ministers Secretary Commissioner Ambassador President Director Chancellor Professor
Prof Dr Chair Chief Executive CEO Governor Mayor Envoy State Deputy Vice Senior Junior Science
Sciences Technology Technologies Innovation Industry Industries Research Trade Economy Economic
Education Culture Sports Energy Foreign Affairs Health Digital Business Development
International National Federal Joint Security Space Universities University Skills Environment
Environmental Climate Agriculture Defence Defense Finance Home Parliamentary Under
Secretary-General Director-General Prime Head Lead Mr Ms Mrs Sir Dame Lord Lady The Minister’s
Government Higher Knowledge Youth Earth Enterprise Resources Oceans Scientific Communications
Information Transport Infrastructure Infrastructures Planning Labour Employment Public Works
Commerce Investment Tourism Arts Heritage Water Mines Mining Natural Fisheries Forestry Food
Rural Regional Local Urban Housing Social Welfare Family Women Children Justice Interior
Treasury Budget ICT Telecommunications Media Cooperation Policy Bureau Department Ministry Office
Agency Council Centre Center Institute Laboratory Foundation Programme Program Fund Union
Independent Charge Permanent High First Second Third Assistant Associate General Executive
Principal Counsellor Representative Spokesperson Marine Ocean Polar Nuclear Quantum Materials
Advanced Capability Capabilities Strategic Relations Global European Asian African Commission
Committee Memorandum Agreement Arrangement Declaration Statement Press Release News Media Note
Understanding Technological Protocol Treaty Accord
Quick Facts Notes Background Editors Contact Further Next Steps Quotes Associated Links
House Building Headquarters
Results Participants Outline Reference Today Yesterday Tomorrow This That These Under With
Working Group Meeting Forum Conference Summit Ceremony Minister-President Speaker Board
Officer Officers Managing Scientific Operating Technical Administrative Financial Chairman
Rector Vice-Rector Provost Dean Vice-Chancellor Vice-Principal Vice-President Chairwoman
Chairperson Premier Administrator Consul Attaché Undersecretary Under-Secretary Councillor
""".split())
TITLE_WORDS = ("Minister|Secretary|Commissioner|Ambassador|President|Vice-President|Director|"
               "Director-General|Chancellor|Vice-Chancellor|Chair|Chairman|Chairwoman|Councillor|"
               "Chairperson|Chief Executive|CEO|Governor|Mayor|Envoy|Counsellor|Premier|"
               "Secretary-General|Head|Principal|Provost|Dean|Administrator|Commissioner|"
               "Spokesperson|Representative|Attaché|Consul|High Commissioner|Rector|Vice-Rector|"
               "Vice-Principal|Undersecretary|Under-Secretary")
TITLE = re.compile(rf"\b(?:{TITLE_WORDS})\b")
# offices in lower case, as some governments write them: "the president of the National
# Council for Scientific and Technological Development (CNPq), Paulo Henrique de Almeida Neto"
LOWER_TITLE = re.compile(r"(?:president|vice-president|director|director-general|minister|"
                         r"secretary|secretary-general|chair|chairman|chairwoman|chairperson|"
                         r"rector|governor|mayor|commissioner|ambassador)")
_CONNECTORS = {"of", "for", "and", "to", "the", "on", "in", "&", "at", "de", "du"}
_TOKEN = re.compile(r"[()]|,|[^\s,()]+")


def label_of(name: str) -> str:
    """A person's label from the text's name: all-capital family names in title case."""
    return " ".join(w.capitalize() if len(w) > 1 and w.isupper() and w.isalpha() else w
                    for w in name.split(" "))


def name_ok(name: str, known: set[str]) -> bool:
    """Whether a candidate name looks like a person's: two or more name words, none an office,
    field or organisation word, a month or a known entity's name."""
    from kg.extract.text import MONTHS, WEEKDAY

    words = [w for w in name.split(" ") if not re.fullmatch(PARTICLE, w)]
    if len(words) < 2 or name in known:
        return False
    for w in words:
        bare = w.rstrip(".")
        if (bare in NOT_NAMES or w in known or w in MONTHS or re.fullmatch(WEEKDAY, w)
                or w.isdigit()):
            return False
    return not all(len(w.rstrip(".")) == 1 for w in words)


def title_before(text: str, end: int, floor: int) -> tuple[int, str | None] | None:
    """The office title that ends at ``end`` (just before ", Name"), reading back no further
    than ``floor``: ``(start, possessor)`` where ``possessor`` is the word before it with "’s"
    ("Korea’s"), or None when the words before ``end`` are not a title."""
    tokens = [(m.start(), m.group(0)) for m in _TOKEN.finditer(text, floor, end)]
    depth, start, possessor = 0, None, None
    for i in range(len(tokens) - 1, -1, -1):
        pos, tok = tokens[i]
        if (re.search(r"(?:’s|'s)$", tok) and re.match(UP, tok) and i >= 2 and depth == 0
                and tokens[i - 1][1] in ("of", "for") and any(
                    TITLE.fullmatch(t) for _, t in tokens[max(0, i - 6):i - 1])):
            # "the Head of Indonesia’s National Research and Innovation Agency", "the
            # Director-General for International Cooperation of Korea's Ministry of ...": the
            # possessive is inside the title
            possessor = re.sub(r"(?:’s|'s)$", "", tok)
            start = pos
            continue
        if tok == ")":
            depth += 1
        elif tok == "(":
            depth -= 1
        elif depth > 0 or tok == ",":
            pass
        elif tok[-1] in ";:“”\"" or (re.search(r"[a-z]{2}\.$", tok)
                                    and not re.fullmatch(HONORIFIC, tok)):
            break  # "... Odhiambo-Wekesa. The British High Commissioner": a sentence ends
        elif re.search(r"(?:’s|'s|’)$", tok) and re.match(UP, tok):
            possessor = re.sub(r"(?:’s|'s|’)$", "", tok)
            break
        elif tok in _CONNECTORS or re.match(rf"{UP}|\d", tok) or tok in ("-", "–"):
            pass
        elif (LOWER_TITLE.fullmatch(tok) and i + 1 < len(tokens)
              and tokens[i + 1][1] in ("of", "for")):
            pass  # "the president of ..."
        else:
            break
        start = pos
    if start is None:
        return None
    title = text[start:end]
    # "Dr. X and the Minister of ...", "..., the Honourable": another item of a list ends here
    cut = max((m.end() for m in re.finditer(r", and (?:the )?| and the |, the |^the |^The ",
                                            title)), default=0)
    start += cut
    title = text[start:end]
    # "JST President Dr. SUGIMOTO Haruki and NSTDA President": the title after the first holder
    held = list(re.finditer(rf"(?:^| ){HONORIFIC} {NAME} and (?:the )?", title))
    if held:
        start += held[-1].end()
        title = text[start:end]
    while (m := re.match(r"(?:the |The |and |of |for |to |in |on |at |, |,)", title)):
        start += m.end()
        title = title[m.end():]
    lower = LOWER_TITLE.match(title) and re.match(r"\S+ (?:of|for) ", title)
    if ((not TITLE.search(title) and not lower) or re.search(r"[;:]", title)
            or re.search(r",? and$", title)
            or re.search(rf"(?:^| ){HONORIFIC} ", title)):
        return None  # "Mr. X, Director, and Dr. Y": Y has no office before the name
    first = re.match(r"\S+", title).group(0)
    if first in _CONNECTORS:
        return None
    return start, possessor


# offices that head a body, so that the body the title starts with is the one signed for
# ("HZB Scientific Director", "Alberta Innovates Chief Executive Officer", "KU Leuven Rector")
HEAD_OF_BODY = re.compile(r"\b(?:Director|Head|President|Chair|Chief Executive|CEO|Administrator|"
                          r"Rector|Vice-Chancellor|Principal|Provost)\b")


def title_owner(title: str) -> str | None:
    """The name or acronym a body's office starts with ("JST President" → "JST", "HZB
    Scientific Director" → "HZB", "KU Leuven Rector" → "KU Leuven"), without the office's own
    words; None when the title starts with none."""
    lead = re.match(r"(?:the )?([A-Z][\w*-]*(?: (?:[A-Z][\w*-]*|of|for|and|the))*)(?:’s|'s)? "
                    rf"(?:{TITLE_WORDS}|Director General)\b", title)
    words = lead.group(1).split() if lead else []
    while words and (words[-1] in NOT_NAMES or words[-1] in _CONNECTORS):
        words.pop()  # "Scientific", "Chief", "Principal and": the office's words
    return " ".join(words) or None


_CAP = r"[A-Z][\w’'&-]*"
# the body an office after a name is in: "Ministry of Earth Sciences", "Federal Ministry of
# Research, Technology and Space" (a comma list closed by "and")
_BODY = (rf"(?:{_CAP} )*(?:Department|Ministry|Office|Bureau) (?:of|for) (?:the )?{_CAP}"
         rf"(?: (?:and |of |for |& )?{_CAP})*(?:(?:, {_CAP}(?: {_CAP})*)+,? and {_CAP}"
         rf"(?: {_CAP})*)?")


# the rest of a title with a comma list closed by "and": "Minister of Science, Technology and
# Innovation of Malaysia" (not "..., and Dr. X")
_TITLE_LIST = (rf"(?:(?:, {_CAP}(?: {_CAP}){{0,2}})+,? and (?!{HONORIFIC} ){_CAP}"
               rf"(?: (?:of|for|the|{_CAP}))*)?")


def listed_body(text: str, pos: int) -> tuple[int, bool]:
    """Where the body of a list line of signatories begins, for a name at ``pos``: after
    "For " or "For the " when the line opens with it ("For the CNRS: A, Chair and CEO"), else
    at the line's start ("German Aerospace Center (DLR): Prof. Dr. X, Chair"); and whether
    "For" opens it."""
    line = text.rfind("\n", 0, pos) + 1
    lead = re.compile(r"For (?:the )?").match(text, line)
    return (lead.end(), True) if lead else (line, False)


def title_after(text: str, start: int) -> tuple[int, int] | None:
    """An office after a name: ", Director General, Department for Research, Ministry ..."
    gives the span of "Director General, Department for Research", and ", State Secretary,
    Federal Ministry of Research, Technology and Space, Germany" that of "State Secretary,
    Federal Ministry of Research, Technology and Space"."""
    # a photo caption's "A (left), President of X, and B (right), ...": past the place
    aside = re.match(r" \((?:left|right|centre|center|second (?:left|right)|front|back)\)",
                     text[start:start + 20])
    start += aside.end() if aside else 0
    m = re.match(rf", ((?:[\w’'-]+ )*?(?:Vice-)?(?:{TITLE_WORDS})(?: (?:of|for|to|and|the|at|"
                 rf"[A-Z&][\w’'&.-]*)"
                 rf")*{_TITLE_LIST})(?:, ({_BODY}))?(?=[,;.)\n]|$| and\b| \()",
                 text[start:start + 200])
    if not m or not TITLE.search(m.group(1)) or not re.match(UP, m.group(1)):
        return None
    end = start + m.end()
    # "..., Minister of Science of Chile." ends a sentence ("U.S." keeps its full stop)
    return start + 2, end - 1 if re.search(r"[a-z]{2}\.$", text[start:end]) else end
