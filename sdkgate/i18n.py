"""Messages and their translations, from a gettext catalogue (Babel): every sentence and label sdkgate writes.

A sentence is a *message*: an English msgid with named placeholders and its parameters, made with
`msg("agent dropped {n} events", n=12)` (a constant label: `N_("Verdict")`). A `Msg` is a `str` (its English
text, so everything that reads the English keeps working) that also carries its id and parameters: it travels
with the evidence (events and report.json keep the id and parameters next to the English text) and is rendered
late, in the report's language, by `tr(value, lang)` through `sdkgate/locale/<locale>/LC_MESSAGES/sdkgate.po`.
Parameters are names, paths, numbers (never translated) or messages themselves (rendered in the same language).

Text without a message id (a report or event log written before message ids, an exception's words) is shown
as it was recorded, in every language, and never marked: a constant that is itself a msgid (a label) is looked
up in the catalogue. `python tools/messages.py` (Babel's extractors over babel.cfg: keywords msg, N_, C_, _)
keeps the .po in step with the code and compiles the .mo the package reads (stdlib gettext, no parsing cost)."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

LANGS = ("en", "zh")
LOCALES = {"zh": "zh_CN"}              # report language -> catalogue locale
DOMAIN = "sdkgate"
MAX_DEPTH = 4                          # nested messages in parameters (a hostile log's depth is cut here)
MAX_PARAMS = 32
_PLAIN = (str, int, float)
_FIELD = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def N_(msgid: str) -> str:
    """Marks a constant label for the extractor; translated where it is shown (`tr`, `labels`)."""
    return msgid


class Label(str):
    """A constant label whose English is said in more than one sense (gettext's msgctxt): "Reads" the sheet,
    "Reads" the count. `C_("sheet", "Reads")`."""

    context: str

    def __new__(cls, context: str, msgid: str) -> "Label":
        self = super().__new__(cls, msgid)
        self.context = context
        return self

    def __reduce__(self):
        return (Label, (self.context, str.__str__(self)))


def C_(context: str, msgid: str) -> Label:
    return Label(context, msgid)


def placeholders(text: str) -> set[str]:
    return {m.group(1) for m in _FIELD.finditer(text) if m.group(1)}


@lru_cache(maxsize=4096)
def _parts(template: str) -> tuple[str, ...]:
    """Literal text and field names, alternating (parsed once per template)."""
    out, last = [], 0
    for m in _FIELD.finditer(template):
        if m.group(1) is None:                  # "{{" / "}}": a literal brace
            out.append(template[last:m.start()] + m.group(0)[0])
            out.append("")
        else:
            out.append(template[last:m.start()])
            out.append(m.group(1))
        last = m.end()
    out.append(template[last:])
    return tuple(out)


def _fill(template: str, params: dict[str, Any], lang: str) -> str:
    """`{name}` fields only (no attribute or index access: ids may come from a stranger's log); `{{`/`}}` escape."""
    parts = _parts(template)
    if len(parts) == 1:
        return template
    out = []
    for i, part in enumerate(parts):
        if not i & 1:
            out.append(part)
        elif part:
            v = params.get(part, "")
            if v.__class__ is str:
                out.append(v)
            elif isinstance(v, Msg):
                out.append(v.render(lang))
            elif isinstance(v, list):           # texts / messages: each in `lang`, "; " between them
                out.append(("；" if lang == "zh" else "; ").join(x.render(lang) if isinstance(x, Msg) else str(x)
                                                                for x in v))
            else:
                out.append(str(v))
    return "".join(out)


class Msg(str):
    """An English sentence that knows its message id and parameters (rendered in any language by `render`)."""

    id: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, params: dict[str, Any] | None = None) -> "Msg":
        # parameters are text, numbers, messages or a list of those (anything else, from a hostile log: its text)
        params = {k: _param(v) for k, v in (params or {}).items()}
        self = super().__new__(cls, _fill(msgid, params, "en"))
        self.id, self.params = msgid, params
        return self

    def __reduce__(self):             # pickle / deepcopy (dataclasses.asdict) keep the message
        return (Msg, (self.id, self.params))

    def render(self, lang: str = "en") -> str:
        if lang not in LOCALES:
            return str.__str__(self)
        return _fill(catalogue(lang).get(self.id) or self.id, self.params, lang)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "params": {k: _param_json(v) for k, v in self.params.items()}}


def _param(v: Any) -> Any:
    if v.__class__ in _PLAIN or v is None or isinstance(v, (str, int, float)):
        return v
    if isinstance(v, (list, tuple)):
        return [x if isinstance(x, (str, int, float)) else str(x)[:1000] for x in list(v)[:MAX_PARAMS]]
    return str(v)[:1000]


def _param_json(v: Any) -> Any:
    if isinstance(v, Msg):
        return v.to_json()
    if isinstance(v, list):
        return [x.to_json() if isinstance(x, Msg) else x for x in v]
    return v


def msg(msgid: str, **params: Any) -> Msg:
    """A message: the English msgid (named `{placeholders}`) and its parameters."""
    return Msg(msgid, params)


def tr(value: Any, lang: str = "en") -> str:
    """The text of a message, a label or recorded text in `lang` (text without an id: as recorded)."""
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, Label):
        return catalogue(lang).get((value.context, str.__str__(value))) or str.__str__(value) if lang in LOCALES \
            else str.__str__(value)
    text = "" if value is None else str(value)
    if lang in LOCALES and text:
        return catalogue(lang).get(text) or text
    return text


def labels(table: dict[str, str], lang: str) -> dict[str, str]:
    """A format's label table (key -> English msgid) in `lang`."""
    return {k: tr(v, lang) for k, v in table.items()}


def lang_of(lang: str | None) -> str:
    return "zh" if lang == "zh" else "en"


# --- JSON: a message next to its English text ---------------------------------------------------------------
def from_json(data: Any, text: str | None = None, _depth: int = 0) -> Msg | None:
    """The message of a report / event field (`{"id", "params"}`), or None when it is not one this version knows
    (unknown id, wrong shape, a parameter missing) or its English is not `text`: the text is then shown as is."""
    if not isinstance(data, dict) or _depth > MAX_DEPTH:
        return None
    mid, params = data.get("id"), data.get("params") or {}
    if not isinstance(mid, str) or mid not in known_ids() or not isinstance(params, dict) or len(params) > MAX_PARAMS:
        return None
    out: dict[str, Any] = {}
    for k, v in params.items():
        v = _param_from_json(v, _depth) if not isinstance(v, list) else \
            [_param_from_json(x, _depth) for x in v[:MAX_PARAMS]]
        if v is None or (isinstance(v, list) and any(x is None for x in v)):
            return None
        out[str(k)] = v
    if not placeholders(mid) <= set(out):
        return None
    m = Msg(mid, out)
    return m if text is None or str.__str__(m) == text else None


def _param_from_json(v: Any, depth: int) -> Any:
    """A parameter read back: a message (nested), text or a number; None when it is neither."""
    if isinstance(v, dict):
        return from_json(v, None, depth + 1)
    return v if isinstance(v, (str, int, float)) else None


def attach(text: Any, data: Any) -> Any:
    """`text` as a Msg when `data` is its message, else `text` unchanged."""
    if not isinstance(text, str):
        return text
    m = from_json(data, text)
    return m if m is not None else text


def to_json(value: Any) -> dict[str, Any] | None:
    return value.to_json() if isinstance(value, Msg) else None


def msgs_json(values: list) -> list | None:
    """The `*_msgs` list next to a list of texts (None where a text has no id), or None when none has one."""
    out = [to_json(v) for v in values]
    return out if any(out) else None


def attach_all(texts: list, msgs: Any) -> list:
    if not isinstance(msgs, list):
        return list(texts)
    return [attach(t, msgs[i] if i < len(msgs) else None) for i, t in enumerate(texts)]


# --- the catalogue ------------------------------------------------------------------------------------------------
def catalogue_path(lang: str, ext: str = "mo"):
    return resources.files("sdkgate").joinpath("locale", LOCALES[lang], "LC_MESSAGES", f"{DOMAIN}.{ext}")


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict:
    """msgid (or (msgctxt, msgid)) -> translation, from the compiled catalogue (fuzzy and untranslated entries are
    not in it: tools/messages.py compiles only translations)."""
    import gettext
    with catalogue_path(lang).open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    out: dict = {}
    for key, text in compiled._catalog.items():       # noqa: SLF001 - the parsed .mo, as gettext keeps it
        if not isinstance(key, str) or not key:
            continue                                   # the header entry
        ctx, sep, mid = key.partition("\x04")
        out[(ctx, mid) if sep else key] = text
    return out


@lru_cache(maxsize=1)
def known_ids() -> frozenset[str]:
    """Every message id sdkgate writes (the catalogue's msgids, without context)."""
    return frozenset(k for k in catalogue("zh") if isinstance(k, str))


# --- helpers producers share ------------------------------------------------------------------------------------
def exc_text(exc: BaseException) -> str:
    """An exception's message: the Msg it was raised with (a message), else its text."""
    arg = exc.args[0] if len(exc.args) == 1 else None
    return arg if isinstance(arg, Msg) else str(exc)


def at(where: Any, text: Any) -> Msg:
    """"<where>: <text>" (a file, an entry, a method and what is wrong there)."""
    return msg("{where}: {text}", where=where, text=text)


def inside(container: Any, text: Any) -> Msg:
    """"<container>!<text>" (an APK and a reason about one of its entries)."""
    return msg("{container}!{text}", container=container, text=text)


def failure(exc: BaseException, cap: int = 300) -> str:
    """"<ExceptionType>: <its text>" (a parameter: what a library said, as it said it)."""
    return type(exc).__name__ + ": " + str(exc)[:cap]
