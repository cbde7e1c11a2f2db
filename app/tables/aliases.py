"""Spellings of one thing that share no letters-only key: a system with a qualifier ('Halcyon
(on-prem)', 'Bluestem cluster'), a cloud written by vendor or acronym ('GCP', 'Google Cloud'),
and a person written 'Dr. First Last' or 'Last, First'."""

from __future__ import annotations

import re

from app.tables.headers import fold, norm

# Words that say what kind of machine a name is, so 'Bluestem cluster' and 'Bluestem' are one
# system (general HPC vocabulary, no table's names).
_MACHINE_KINDS = frozenset(
    {"cluster", "system", "supercomputer", "machine", "partition", "onprem", "on", "prem"}
    | {"premises", "premise", "hpc", "local", "cloud", "platform", "service", "services"}
)
# The public clouds, each under the names people write for it: a provider's name is general
# knowledge, like a state's code, and no table lists all of them.
_CLOUDS: dict[str, tuple[str, ...]] = {
    "aws": ("aws", "amazon web services", "amazon cloud", "amazon aws", "amazon"),
    "azure": ("azure", "microsoft azure", "microsoft cloud", "ms azure"),
    "gcp": ("gcp", "google cloud", "google cloud platform", "google"),
    "oci": ("oci", "oracle cloud", "oracle cloud infrastructure"),
    "ibm cloud": ("ibm cloud",),
}
_CLOUD_OF = {name: key for key, names in _CLOUDS.items() for name in names}
_JOINERS = frozenset({"of", "the", "and", "at", "for", "in"})
_TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "sir", "doctor"})
_SURNAME_FIRST = re.compile(r"^\s*([^,\d]+),\s*([^,\d]+?)\s*$")


def cloud_of(value: str) -> str:
    """The public cloud a value names ('Amazon Web Services' → 'aws'), or ''."""
    return _CLOUD_OF.get(norm(value), "")


def cloud_names(value: str) -> tuple[str, ...]:
    """Every name people write for the cloud a value names (() for other values)."""
    key = cloud_of(value)
    return _CLOUDS.get(key, ()) if key else ()


def machine_key(value: str) -> str:
    """The name without a trailing machine-kind qualifier, bracketed or not ('Halcyon
    (on-prem)', 'Bluestem cluster', 'Bluestem' → 'halcyon', 'bluestem'); '' when nothing is
    left. A bracket saying anything else ('Delta (GPU)') keeps the name apart, and a kind word
    in front names a kind of thing ('HPC Research' is not 'Research')."""
    kept = re.sub(r"\(([^)]*)\)", lambda m: _bracket(m.group(1)), value)
    words = norm(kept).split()
    while words and words[-1] in _MACHINE_KINDS:
        words.pop()
    return " ".join(words)


def _bracket(inside: str) -> str:
    """A bracket of machine-kind words only is dropped; any other stays as written."""
    return " " if all(w in _MACHINE_KINDS for w in norm(inside).split()) else f"({inside})"


def person_key(value: str) -> str:
    """'Dr. Grace Whitehorse' and 'Whitehorse, Grace' → 'grace whitehorse'; '' for a value
    that does not look like a person's name (two to four capitalised words)."""
    text = fold(value).strip()
    m = _SURNAME_FIRST.match(text)
    if m:
        text = f"{m.group(2)} {m.group(1)}"  # "Last, First" written the usual way round
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", text) if w.lower() not in _TITLES]
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return ""
    # only a title or a surname-first comma says it is a person ('Data Science Bootcamp' is not)
    titled = text.lower().split(".")[0].split()[0] in _TITLES if text.split() else False
    return " ".join(w.lower() for w in words) if m or titled else ""


def acronym_tail(short: str, full: str) -> bool:
    """'Cedar Valley CC' for 'Cedar Valley Community College': the same first words, then
    capitals standing for the initials of the rest."""
    written = fold(short).split()
    if len(written) < 2 or not re.fullmatch(r"[A-Z]{2,4}", written[-1]):
        return False
    head, rest = norm(" ".join(written[:-1])).split(), norm(full).split()
    if rest[: len(head)] != head or len(rest) <= len(head) + 1:
        return False
    initials = "".join(w[0] for w in rest[len(head) :] if w not in _JOINERS)
    return initials == written[-1].lower()


def alias_keys(value: str) -> list[str]:
    """Extra grouping keys for a value: its machine name, cloud and person name."""
    keys = []
    if key := machine_key(value):
        keys.append(f"m:{key}")
    if key := cloud_of(value):
        keys.append(f"c:{key}")
    if key := person_key(value):
        keys.append(f"n:{key}")
    return keys
