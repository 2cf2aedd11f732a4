"""Every language says everything English says, with the same placeholders and untouched names.

en.json is the source; a key added there without its translations, a key left behind after English
dropped it, or a placeholder renamed in one language (Home Assistant then shows the raw string or
fails to format it) fails here, naming the language and the keys.
"""

from __future__ import annotations

from collections.abc import Iterator
import re
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.loader import async_get_integration
import pytest

from custom_components.contact_center.const import DOMAIN
from tests.test_files import INTEGRATION, load_json

TRANSLATIONS = INTEGRATION / "translations"
LANGUAGES = ("de", "es", "nl", "pt")
PLACEHOLDER = re.compile(r"\{(\w*)\}")
# Names and tokens the user types or sees elsewhere exactly so; a translation must not touch them.
KEPT = re.compile(
    r"https?://[\w./-]*\w"  # addresses
    r"|\b(?:Live Guide|Live Expert|Bright Pattern|CoBrowser\.net|wolkvox|ClairVista|Netop|Impero)\b"
    r"|\b[a-z]+[A-Z]\w*\b"  # API names such as expertAvailabilityCheck, categoryID:languageID
    r"|\b[a-z]+_[a-z_]+\b"  # configuration keys such as allowlist_external_dirs
    r"|\b[A-Z]{2,}(?: [A-Z]{2,})+\b"  # the platform's own error texts (TOKEN LIMIT EXCEEDED)
    r"|YYYY-MM-DD"
)


def _strings(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Yield each string of a translation file with its dotted key."""
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from _strings(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


ENGLISH = dict(_strings(load_json(TRANSLATIONS / "en.json")))


def _language(language: str) -> dict[str, str]:
    return dict(_strings(load_json(TRANSLATIONS / f"{language}.json")))


def test_the_languages_are_the_ones_shipped() -> None:
    assert sorted(path.stem for path in TRANSLATIONS.glob("*.json")) == sorted(["en", *LANGUAGES])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_english_key_and_no_other(language: str) -> None:
    translated = _language(language)
    missing = sorted(ENGLISH.keys() - translated.keys())
    extra = sorted(translated.keys() - ENGLISH.keys())
    assert (missing, extra) == ([], []), f"{language}.json: missing {missing}, extra {extra}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_strings_are_text_with_the_english_placeholders(language: str) -> None:
    translated = _language(language)
    wrong = {
        key: (sorted(PLACEHOLDER.findall(text)), sorted(PLACEHOLDER.findall(translated[key])))
        for key, text in ENGLISH.items()
        if key in translated
        and (
            not isinstance(translated[key], str)
            or not translated[key].strip()
            or sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(translated[key]))
        )
    }
    assert wrong == {}, f"{language}.json: placeholders (English, {language}) differ in {wrong}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_names_and_technical_tokens_are_kept(language: str) -> None:
    translated = _language(language)
    lost = {
        key: sorted(token for token in set(KEPT.findall(text)) if token not in translated[key])
        for key, text in ENGLISH.items()
        if key in translated
    }
    lost = {key: tokens for key, tokens in lost.items() if tokens}
    assert lost == {}, f"{language}.json changed or dropped names and tokens: {lost}"


def test_the_token_pattern_finds_what_it_must_keep() -> None:
    found = KEPT.findall(
        "wolkvox said TOKEN LIMIT EXCEEDED at https://wv0002.wolkvox.com; add"
        " allowlist_external_dirs and categoryID:languageID pairs (YYYY-MM-DD) for Live Expert."
    )
    assert found == [
        "wolkvox",
        "TOKEN LIMIT EXCEEDED",
        "https://wv0002.wolkvox.com",
        "allowlist_external_dirs",
        "categoryID",
        "languageID",
        "YYYY-MM-DD",
        "Live Expert",
    ]


async def test_home_assistant_reads_each_language(hass: HomeAssistant) -> None:
    # Loading the integration first makes Home Assistant look into the custom component's files.
    await async_get_integration(hass, DOMAIN)
    key = f"component.{DOMAIN}.entity.sensor.waiting.name"
    for language, expected in {"en": "Waiting", "de": "Wartende", "es": "En espera"}.items():
        words = await async_get_translations(hass, language, "entity", [DOMAIN])
        assert words[key] == expected
