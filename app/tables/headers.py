"""Words of questions and headers: tokens, and which column a header word or synonym names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.tables.fiscal import quarter_values
from app.tables.places import COUNTRY, MIXED, place_column
from index.tables import TableInfo

_TOKEN = re.compile(r"[A-Za-z0-9]+")
# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "ı": "i", "&": " and "}
)  # fmt: skip
# Shortenings in names, written either way ('Univ. of Kallio', 'Inst. of Tech.', 'St. Olaf'):
# both sides of a comparison are brought to one spelling.
_SHORT = {
    "univ": "university", "uni": "university", "inst": "institute", "dept": "department",
    "tech": "technology", "technol": "technology", "natl": "national", "ctr": "center",
    "cntr": "center", "centre": "center", "intl": "international", "assoc": "association",
    "lab": "laboratory", "labs": "laboratories", "sci": "science", "acad": "academy",
    "hosp": "hospital", "govt": "government", "corp": "corporation", "saint": "st",
    "mt": "mount", "ft": "fort", "res": "research", "coll": "college", "hrs": "hours",
    "hr": "hour", "h": "hours", "qtr": "quarter", "yr": "year", "poly": "polytechnic",
    "polytech": "polytechnic",
}  # fmt: skip
# Groups of words people use for the same kind of column; a header whose head noun is in a
# group is named by any word of it. General table vocabulary, not one table's headers.
_SYNONYM_GROUPS = (
    "institution institutions university universities school schools college colleges "
    "organization organizations organisation organisations recipient recipients awardee "
    "awardees affiliation affiliations institute institutes lab labs laboratory laboratories "
    "centre centres center centers company companies firm firms org orgs",
    "resource resources system systems machine machines cluster clusters provider providers "
    "platform platforms computer computers supercomputer supercomputers",
    "state states",
    "field fields discipline disciplines domain domains area areas topic topics subject subjects",
    "type types kind kinds category categories track tracks",
    "amount amounts size sizes quantity",
    "unit units",
    "date dates when day",
    "title titles name names",
    "id ids number numbers",
    "pi pis investigator investigators lead leads",
    "used usage spent spending consumed burned burnt",
    "remaining remainder left balance unused",
    "course courses class classes",
    "instructor instructors teacher teachers lecturer lecturers",
    "students learners participants trainees enrollment enrolment",
)
SYNONYMS = {w: g for g in _SYNONYM_GROUPS for w in g.split()}
_STATE_WORDS = frozenset({"state", "states", "province", "provinces"})
_COUNTRY_WORDS = frozenset({"country", "countries", "nation", "nations"})
# Header words too general to name a column alone: "PI name" is named by "PI".
_GENERIC_HEADS = frozenset(
    {"name", "names", "id", "type", "code", "no", "number", "date", "count"}  # "Co-PI Count"
)
_ROWISH = frozenset({"award", "allocation", "grant", "project", "request", "proposal"})
# Trailing words that qualify a header rather than name it.
_QUALIFIERS = frozenset({"awarded", "allocated", "requested", "approved", "granted", "total"})


@dataclass(frozen=True)
class Tokens:
    """A question split into lower-case tokens, with the original spelling kept beside them."""

    low: tuple[str, ...]
    orig: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Tokens:
        """Tokenise ('Bridges-2' → bridges, 2; 'Universität' → Universitat)."""
        orig = tuple(_TOKEN.findall(fold(text)))
        return cls(tuple(t.lower() for t in orig), orig)

    def phrase(self, i: int, n: int) -> str:
        """Tokens i..i+n joined by spaces."""
        return " ".join(self.low[i : i + n])

    def has(self, phrase: str) -> bool:
        """True when the phrase occurs as whole tokens."""
        words = tuple(phrase.lower().split())
        n = len(words)
        return any(self.low[i : i + n] == words for i in range(len(self.low) - n + 1))


def singular(word: str) -> str:
    """'companies' → 'company', 'systems' → 'system' (the last word of a phrase)."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Accents dropped ('Universität' → 'Universitat'), '&' written 'and'."""
    plain = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def norm(text: str) -> str:
    """Lower-case tokens joined by single spaces, accents dropped."""
    return " ".join(t.lower() for t in _TOKEN.findall(fold(text)))


def canon(key: str) -> str:
    """A normalised name with its shortenings written out: 'univ of kallio' → 'university
    of kallio', so 'Univ. of Kallio' and 'University of Kallio' are one name."""
    return " ".join(_SHORT.get(t, t) for t in key.split())


# Words saying what kind of unit of an organisation a name is ("Dept. of Physics", "Physics
# Dept", "School of Nursing"): without them it is the same name ("physics", "nursing").
_UNIT_KINDS = frozenset(
    {"department", "departments", "faculty", "faculties", "division", "divisions", "school"}
    | {"schools"}
)


def name_key(key: str) -> str:
    """canon() without the words for a kind of unit: 'dept of physics', 'physics dept' and
    'physics' are one key; a name made only of such words keeps them ('school')."""
    words = canon(key).split()
    core = [w for w in words if w not in _UNIT_KINDS]
    if not core or len(core) == len(words):
        return " ".join(words)
    while core and core[0] in ("of", "the", "for"):
        core.pop(0)
    while core and core[-1] in ("of", "the", "for"):
        core.pop()
    return " ".join(core) or " ".join(words)


def column_refs(question: str, table: TableInfo) -> list[str]:
    """Columns the question names by their header or a usual word for them."""
    q = Tokens.of(question)
    out: list[str] = []
    direct: set[str] = set()
    whole: set[str] = set()
    for c in table.columns:
        label = column_label(c.name)
        words: set[str] = set()
        # "Team / Lab": either side names the column ("which teams", "which labs")
        for head in [h for part in c.name.split("/") for h in _heads(column_label(part))]:
            singular = head[:-1] if head.endswith("s") and len(head) > 3 else head
            words |= set(SYNONYMS.get(head, head).split()) | {head, head + "s", singular}
            if head in _SHORT:  # "departments" names a "Dept." column
                words |= {_SHORT[head], _SHORT[head] + "s"}
        place = place_column(c.values) if c.type == "text" else None
        if place is not None:  # a "Location" column of state or country names
            words |= _STATE_WORDS if place.kind != COUNTRY else _COUNTRY_WORDS
            words |= _COUNTRY_WORDS if place.kind == MIXED else set()
        if c.type == "text" and quarter_values(c.values):  # a "Cycle" of "FY25 Q1" cells
            words |= {"quarter", "quarters"}
        unit = norm(c.unit) if c.numeric else ""  # "in USD", "how many GPU hours"
        core = " ".join(w for w in label.split() if w not in _QUALIFIERS)
        named = bool(label and q.has(label)) or bool(core and q.has(core))
        if named or any(w in q.low for w in words if w) or (unit and q.has(unit)):
            own = {w for h in _heads(label) for w in (h, h + "s", h[:-1] if h.endswith("s") else h)}
            if named or own & set(q.low):
                direct.add(c.name)
            if len(label.split()) > 1 and q.has(label):
                whole.add(c.name)
            out.append(c.name)
    # A column named by its whole header comes first ("per student" is the Per Student
    # column, not Students), then one named by its own header word before one named by a
    # synonym: "institutions" is the Institution column first, the Recipient column after.
    return sorted(out, key=lambda name: (name not in whole, name not in direct))


def _heads(label: str) -> list[str]:
    """The words naming a header: its head noun ('field' of 'field of science'), and the word
    before a generic head ('pi' of 'pi name'), unless that word only names the rows."""
    words = label.split()
    if len(words) > 2 and words[-2:] in (["to", "date"], ["so", "far"]):
        words = words[:-2]  # "Used to Date" is named by "used", not by "date"
    while len(words) > 1 and words[-1] in _QUALIFIERS:
        words = words[:-1]  # "node hours awarded" is named by "hours"
    if not words:
        return []
    if "of" in words[1:]:
        return [words[words.index("of") - 1]]
    heads = [words[-1]]
    if len(words) > 1 and words[-1] in _GENERIC_HEADS and words[-2] not in _ROWISH:
        heads.append(words[-2])
    return heads


def column_label(name: str) -> str:
    """A header as words, without a unit in brackets: 'Award Amount (SUs)' → 'award amount'."""
    return norm(re.sub(r"[(\[].*?[)\]]", " ", name.replace("_", " "))) or norm(name)
