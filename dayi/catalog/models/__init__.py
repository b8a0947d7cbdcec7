from .classification import Category, Discipline, InstrumentClass
from .instrument import Instrument, InstrumentPhoto, YearlyUsage
from .theme import Theme

__all__ = ["Category", "Discipline", "Instrument", "InstrumentClass", "InstrumentPhoto", "Theme", "YearlyUsage"]
