"""Whether a name stands for a product, not for someone who acts: "unveiled the iPad",
"its Macintosh computers". An event's actors and the document's organisations leave
products out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractor.text.lexicon import PRODUCT_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Common nouns a product name modifies ("Macintosh computers", "MacBook Air laptops").
PRODUCT_NOUNS = frozenset(
    "computer laptop notebook desktop tablet phone smartphone handset console software"
    " browser app car vehicle truck pickup suv sedan model jet airliner aircraft plane".split()
)


def is_product(token: Token) -> bool:
    """What a release-type verb puts out ("unveiled the iPad 2 and the iCloud",
    "introduced the iMac personal computer", "announced an updated MacBook Air series"):
    its object, a conjunct of it or a name modifying it."""
    noun = token.head.lower_
    if token.dep_ in ("compound", "nmod") and (noun in PRODUCT_NOUNS or noun[:-1] in PRODUCT_NOUNS):
        return True  # "its Macintosh computers", "the Tundra pickup": a product line
    while token.head != token and (
        token.dep_ in ("conj", "compound", "nmod", "appos")
        # "released a new lineup of MacBook Air laptops": what the lineup is of
        or (token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN")
    ):
        token = token.head.head if token.dep_ == "pobj" else token.head
    return token.dep_ in ("dobj", "nsubjpass") and token.head.lower_ in PRODUCT_VERBS
