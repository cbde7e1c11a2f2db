"""Settings errors that say what to fix: the key, where it was set, the closest valid key."""

from __future__ import annotations

import difflib
import os
import tomllib
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from app.errors import ConfigError


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML file's content, or {} when there is none."""
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None


def explain(
    exc: ValidationError, root: type[BaseModel], toml: dict[str, Any], toml_path: Path
) -> str:
    """One clause per problem, naming the key, where it came from and (for typos) the fix."""
    lines = []
    for err in exc.errors():
        loc = tuple(str(part) for part in err["loc"])
        where = source_of(loc, toml, toml_path)
        if err["type"] == "extra_forbidden":
            lines.append(unknown_key(root, loc, where))
        else:
            lines.append(f"setting {'.'.join(loc)} {where}: {err['msg']}")
    return "; ".join(lines)


def unknown_key(root: type[BaseModel], loc: tuple[str, ...], where: str) -> str:
    """`unknown setting X in FILE; did you mean Y?` with the closest valid key."""
    valid = fields_at(root, loc[:-1])
    close = difflib.get_close_matches(loc[-1], valid, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else f"; valid keys: {', '.join(valid)}"
    return f"unknown setting {'.'.join(loc)} {where}{hint}"


def source_of(loc: tuple[str, ...], toml: dict[str, Any], toml_path: Path) -> str:
    """Where a key was set: the TOML file, an environment variable, or .env / arguments."""
    node: Any = toml
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            break
        node = node[part]
    else:
        return f"in {toml_path}"
    var = "PILOTDESK_" + "__".join(loc).upper()
    if var in os.environ:
        return f"in the environment variable {var}"
    return f"({var} in .env, or an argument)"


def fields_at(root: type[BaseModel], loc: tuple[str, ...]) -> list[str]:
    """The valid keys of the section at `loc` (dict-valued fields skip their key part)."""
    model: Any = root
    parts = list(loc)
    while parts:
        field = model.model_fields.get(parts.pop(0))
        if field is None:
            return []
        ann = field.annotation
        if typing.get_origin(ann) is dict:
            ann = typing.get_args(ann)[1]
            if parts:
                parts.pop(0)  # a profile name, not a field
        if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
            return []
        model = ann
    return list(model.model_fields)
