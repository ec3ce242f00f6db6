"""The reader's language: English, or Simplified Chinese when a Chinese lesson asks for it.

A Chinese lesson's set-up cell calls ``rnn_helpers.setup("04", globals(), language="zh-CN")``; from then on every
message rnn_helpers prints in that kernel (checker feedback, set-up errors, the findings' lines, worked solutions) is
read from the gettext catalogue ``locale/zh_CN/LC_MESSAGES/rnn_helpers.mo`` beside this module. English is the
default, and the English lessons' ``setup("04", globals())`` chooses it, so each notebook's kernel speaks the language
its own set-up cell named.

Only the standard library's gettext reads the compiled catalogue here: a lesson needs no package for it. The catalogue
is made from the source by the build wing (``python -m rnn_helpers messages``, with Babel), which finds every
``_("...")`` and ``pgettext("context", "...")`` literal and the texts that are data (see rnn_build/messages.py).

Messages are literals with named placeholders, ``_("... {name} ...").format(name=...)``, so that a translation may put
the placeholders where Chinese wants them.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

DOMAIN = "rnn_helpers"
LOCALE_DIR = Path(__file__).with_name("locale")
# The languages a lesson may name, and each one's gettext catalogue (None: the messages as written, in English).
LANGUAGES = {"en": None, "zh-CN": "zh_CN"}
DEFAULT = "en"

_chosen = DEFAULT


def set_language(language: str) -> None:
    """Speak ``language`` (a key of LANGUAGES) from now on, in this process. ValueError for any other."""
    global _chosen
    if language not in LANGUAGES:
        raise ValueError(f"no language {language!r}; the languages are {', '.join(LANGUAGES)}")
    catalogue(language)  # a missing catalogue stops here, not at the first message
    _chosen = language


def language() -> str:
    """The language in use: "en" or "zh-CN"."""
    return _chosen


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak ``language`` inside the ``with`` block, then the language in use before it (for the build and tests)."""
    before = _chosen
    set_language(language)
    try:
        yield
    finally:
        set_language(before)


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The translations of ``language``: the compiled catalogue, or the messages as written for English."""
    code = LANGUAGES[language]
    if code is None:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])


def pgettext(context: str, message: str) -> str:
    """``message``, a text of the kind ``context`` names ("band", "claim", "choice" ...), in the language in use."""
    return catalogue(_chosen).pgettext(context, message)


class Message(str):
    """A message in the reader's language.

    Its text is the translation in the language in use when it was made. Formatted (``.format``, ``{}`` in another
    message, an f-string) or printed (``str``), it is translated again, in the language in use then: so a table of
    messages built when a module was imported (before a lesson chose its language) still speaks the lesson's
    language. ``english`` is the message as written in the source (its msgid).
    """

    english: str

    def __new__(cls, english: str):
        made = super().__new__(cls, catalogue(_chosen).gettext(english))
        made.english = english
        return made

    def __str__(self) -> str:
        return catalogue(_chosen).gettext(self.english)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def format(self, *args, **kwargs) -> str:
        return str(self).format(*args, **kwargs)


def N_(message: str) -> str:
    """``message`` as it is: marks a literal kept in a constant for extraction; ``_(CONSTANT)`` translates it where it is used."""
    return message


def _(message: str) -> Message:
    """``message`` in the reader's language (see Message). Babel extracts the literal inside ``_("...")``."""
    return Message(message)


# How sentences follow each other: a space in English; none in Chinese, whose full stop is a full-width character.
_SEPARATORS = {"en": " ", "zh-CN": ""}


def sentences(*parts: str) -> str:
    """The non-empty ``parts``, one after the other, as the language in use separates sentences."""
    return _SEPARATORS[_chosen].join(str(part) for part in parts if part)
