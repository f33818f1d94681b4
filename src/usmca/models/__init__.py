"""Input-output models: Leontief arithmetic (:mod:`.io`) and labelled MRIO tables with
value-added-in-trade decompositions (:mod:`.mrio`).  See ``docs/input-output.md``."""

from usmca.models import backends
from usmca.models.backends import calc_L
from usmca.models.backends import solve as leontief_solve
from usmca.models.errors import IOModelError
from usmca.models.io import (
    LeontiefLU,
    calc_A,
    calc_v,
    calc_x,
    check_productive,
    employment_multipliers,
    output_multipliers,
    value_added_multipliers,
)
from usmca.models.mrio import (
    BM_TERMS,
    ContentMeasure,
    MRIOTable,
    Reading,
    SourceComparison,
    compare_sources_in_exports,
)

__all__ = [
    "backends",
    "BM_TERMS",
    "ContentMeasure",
    "IOModelError",
    "LeontiefLU",
    "MRIOTable",
    "Reading",
    "SourceComparison",
    "calc_A",
    "calc_L",
    "calc_v",
    "calc_x",
    "check_productive",
    "compare_sources_in_exports",
    "employment_multipliers",
    "leontief_solve",
    "output_multipliers",
    "value_added_multipliers",
]
