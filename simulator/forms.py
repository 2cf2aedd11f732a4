"""What to type into Home Assistant's forms, labelled exactly as the forms label the fields.

The labels come from the integration's own ``translations/en.json`` (the config flow's step data
and selector options), so the simulator's start text, ``scripts/develop``'s banner and the forms
cannot drift apart. The simulator stays free of Home Assistant: it only reads that JSON file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import json
from pathlib import Path
from typing import Any

TRANSLATIONS = (
    Path(__file__).resolve().parent.parent
    / "custom_components"
    / "contact_center"
    / "translations"
    / "en.json"
)


def load_translations(path: Path = TRANSLATIONS) -> dict[str, Any]:
    """Return the integration's English translations, or nothing when they are not there."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # The simulator also runs without the integration beside it: raw field names then.
        return {}
    return data if isinstance(data, dict) else {}


def form_lines(
    step: str,
    forms: Sequence[Mapping[str, str]],
    translations: Mapping[str, Any],
    indent: str = "    ",
) -> list[str]:
    """Return one ``label: value`` line per field of the first form; later forms as "or:" lines.

    ``step`` is the config flow's step (the vendor key); values of select fields are shown as
    the option's label.
    """
    config = translations.get("config", {})
    labels: Mapping[str, str] = config.get("step", {}).get(step, {}).get("data", {})
    selectors: Mapping[str, Any] = translations.get("selector", {})

    def label(field: str) -> str:
        return labels.get(field, field)

    def value(field: str, raw: str) -> str:
        options: Mapping[str, str] = selectors.get(field, {}).get("options", {})
        return options.get(raw, raw)

    width = max((len(label(field)) for form in forms for field in form), default=0) + 1
    lines: list[str] = []
    for number, form in enumerate(forms):
        prefix = indent
        if number:
            lines.append(f"{indent}or:")
            prefix = indent + "  "
        lines.extend(
            f"{prefix}{label(field) + ':':<{width}} {value(field, raw)}"
            for field, raw in form.items()
        )
    return lines
