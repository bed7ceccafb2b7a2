"""Word lists shared by the stages (one home for each list)."""

from __future__ import annotations

import re

#: Words that make a claim hedged; used for the rules engine's and the model's claims alike.
HEDGES = re.compile(
    r"\b(?:may|might|could|would|likely|unlikely|possibly|probably|perhaps|expected|"
    r"reportedly|believed|estimated|appears?|seems?|should)\b"
)
