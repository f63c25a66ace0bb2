"""A small library to search: three articles, two drugs and some shared
words."""

import pytest

from tests.conditions.search.helpers import make


@pytest.fixture
def library():
    make(
        "Myoclonus",
        "Myoclonus is a quick, involuntary muscle jerk. It can be a twitch or a spasm.",
        summary="Sudden muscle jerks you cannot control.",
        alternate_names="Muscle jerks\nJerking",
        drugs=["Clonazepam", "Levetiracetam"],
    )
    make(
        "Essential tremor",
        "Essential tremor causes shaking of the hands. It is not myoclonus, though myoclonus "
        "and tremor are both movement disorders; myoclonus is briefer. Myoclonus, myoclonus.",
        summary="Shaking hands, often in families.",
        drugs=["Propranolol"],
    )
    make(
        "Asthma",
        "Asthma narrows the airways. Cough and wheezing get worse at night.",
        summary="A long-term lung condition.",
    )
