"""What of an instrument goes into its search document, and in which weighted field."""

from dataclasses import dataclass

from . import normalize

MAX_TOKEN_LENGTH = 64


@dataclass
class Fields:
    names: list[str]
    classes: list[str]
    description: list[str]


def _unique(tokens) -> list[str]:
    return [t for t in dict.fromkeys(tokens) if 0 < len(t) <= MAX_TOKEN_LENGTH]


def class_chain(instrument_class) -> list:
    chain, node = [], instrument_class
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain


def fields_of(instrument) -> Fields:
    """Needs instrument_class (with parents), category, owner, themes loaded or loadable."""
    names = [
        *normalize.tokens(instrument.name),
        *normalize.tokens(instrument.name_en),
        *normalize.tokens(instrument.model_number),
        *normalize.tokens(instrument.manufacturer),
        *normalize.pinyin_tokens(instrument.name),
    ]
    model = normalize.compact(instrument.model_number)
    if model.isascii():
        names.append(model)
    classes = []
    for node in class_chain(instrument.instrument_class):
        classes.append(node.code)
        classes.extend(normalize.tokens(node.name))
    if instrument.category is not None:
        classes.extend(normalize.tokens(f"{instrument.category.name} {instrument.category.name_en}"))
    for theme in instrument.themes.all():
        classes.extend(normalize.tokens(f"{theme.name} {theme.name_en}"))
    owner = instrument.owner
    classes.extend(normalize.tokens(f"{owner.name} {owner.short_name}"))
    description = []
    for text in (
        instrument.main_functions,
        instrument.technical_specs,
        instrument.service_content,
        instrument.typical_outcomes,
        instrument.location,
    ):
        description.extend(normalize.tokens(text))
    return Fields(_unique(names), _unique(classes), _unique(description))


def tsvector_literal(fields: Fields, *, weights: str = "ABC") -> str:
    """The tsvector of the fields of these `weights` (A names, B classes, C description),
    written out with positions and weights, so PostgreSQL's own parser (whose treatment of
    Han text depends on the server's locale) never touches our tokens."""
    positions: dict[str, list[str]] = {}
    position = 0
    weighted = (("A", fields.names), ("B", fields.classes), ("C", fields.description))
    for weight, tokens in ((w, t) for w, t in weighted if w in weights):
        for token in tokens:
            position = min(position + 1, 16383)
            positions.setdefault(token, []).append(f"{position}{weight}")
    return " ".join(f"'{token}':{','.join(found[:255])}" for token, found in positions.items())
