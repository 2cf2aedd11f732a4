"""The integration's data files: no key given twice, and every action has its icon and words.

JSON and YAML readers keep the last of two equal keys without a word, so a second ``"services"``
in icons.json silently drops the icons of the first; these readers refuse duplicates instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / "contact_center"
JSON_FILES = sorted(
    [*INTEGRATION.glob("*.json"), *INTEGRATION.glob("translations/*.json"), ROOT / "hacs.json"]
)


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate keys: {duplicates}")
    return dict(pairs)


def load_json(path: Path) -> Any:
    """Read a JSON file, refusing a key that appears twice in one object."""
    return json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_unique_pairs)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key that appears twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        duplicates = sorted({str(key) for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"duplicate keys: {duplicates}")
        return super().construct_mapping(node, deep=deep)


def load_yaml(path: Path) -> Any:
    """Read a YAML file, refusing a key that appears twice in one mapping."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506


def test_the_readers_refuse_duplicate_keys(tmp_path: Path) -> None:
    doubled = tmp_path / "doubled.json"
    doubled.write_text('{"a": {"b": 1}, "a": {"c": 2}}')
    with pytest.raises(ValueError, match="duplicate keys: \\['a'\\]"):
        load_json(doubled)
    doubled_yaml = tmp_path / "doubled.yaml"
    doubled_yaml.write_text("a:\n  b: 1\na:\n  c: 2\n")
    with pytest.raises(ValueError, match="duplicate keys: \\['a'\\]"):
        load_yaml(doubled_yaml)


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda path: path.name)
def test_json_files_have_no_duplicate_keys(path: Path) -> None:
    assert load_json(path)


def test_every_action_has_an_icon_and_words() -> None:
    actions = set(load_yaml(INTEGRATION / "services.yaml"))
    icons = load_json(INTEGRATION / "icons.json")["services"]
    words = load_json(INTEGRATION / "translations" / "en.json")["services"]
    assert actions
    assert set(icons) == actions
    assert set(words) == actions
    for action in actions:
        assert icons[action]["service"].startswith("mdi:")
