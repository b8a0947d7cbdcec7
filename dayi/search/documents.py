"""What of an instrument goes into its search document, and in which weighted field."""

from dataclasses import dataclass, field

from . import normalize

MAX_TOKEN_LENGTH = 64


@dataclass
class Fields:
    names: list[str]
    classes: list[str]
    description: list[str]
    # The classes with their ancestors and the category alone, for ranking: the unit's and the
    # themes' words would more than double the ranked vector, and every row with it.
    class_names: list[str] = field(default_factory=list)


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
    class_names = _unique(classes)
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
    return Fields(_unique(names), _unique(classes), _unique(description), class_names)


WEIGHTS = {"names": "A", "classes": "B", "description": "C", "class_names": "B"}


def tsvector_literal(fields: Fields, *, parts=("names", "classes", "description")) -> str:
    """The tsvector of these parts of `fields`, written out with positions and weights, so
    PostgreSQL's own parser (whose treatment of Han text depends on the server's locale)
    never touches our tokens."""
    positions: dict[str, list[str]] = {}
    position = 0
    for part in parts:
        for token in getattr(fields, part):
            position = min(position + 1, 16383)
            positions.setdefault(token, []).append(f"{position}{WEIGHTS[part]}")
    return " ".join(f"'{token}':{','.join(found[:255])}" for token, found in positions.items())
