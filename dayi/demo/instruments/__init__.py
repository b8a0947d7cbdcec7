"""Instrument templates for the demo city: one per kind of instrument a Chinese city's
universities, institutes, test centres and companies really own, with the national class code
it is filed under, typical model/maker pairs, a value range and the texts a unit writes.

The builder draws from these with a seeded random generator, so a seed always gives the same
city.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Model:
    model: str
    maker: str
    country: str


@dataclass(frozen=True)
class Template:
    code: str
    name: str
    name_en: str
    models: tuple[Model, ...]
    low: int
    high: int
    specs: str
    functions: str
    service: str
    fee: str
    themes: tuple[str, ...]
    disciplines: tuple[str, ...]
    weight: float = 1.0
    purpose: str = "general"
    pilot: bool = False


def template(code, name, name_en, models, low, high, specs, functions, service, fee, themes, disciplines, **extra):
    """A template from the compact notation the data modules use: models as
    "model/maker/country; …" (a model may itself contain a slash, as in 7890B/5977B),
    themes and disciplines as space-separated keys."""
    parsed = tuple(Model(*(part.strip() for part in item.rsplit("/", 2))) for item in models.split(";"))
    return Template(
        code=code,
        name=name,
        name_en=name_en,
        models=parsed,
        low=low,
        high=high,
        specs=specs,
        functions=functions,
        service=service,
        fee=fee,
        themes=tuple(themes.split()),
        disciplines=tuple(disciplines.split()),
        **extra,
    )


def all_templates() -> list[Template]:
    from . import analysis, biology, engineering, pilot, spectroscopy, testing

    return [
        *analysis.TEMPLATES,
        *spectroscopy.TEMPLATES,
        *biology.TEMPLATES,
        *testing.TEMPLATES,
        *engineering.TEMPLATES,
        *pilot.TEMPLATES,
    ]
