"""ALSFRS-R item names and anchor text for the case-entry form.

Cedarbaum JM, Stambler N, Malta E, et al. The ALSFRS-R: a revised ALS functional rating scale that
incorporates assessments of respiratory function. J Neurol Sci 1999;169:13-21 (docs/ruleset.md §7).
Item 5 has two anchor sets: 5a without and 5b with a gastrostomy.
"""

from __future__ import annotations

ITEMS: dict[str, tuple[str, tuple[str, str, str, str, str]]] = {
    # item: (label, anchors for scores 4, 3, 2, 1, 0)
    "speech": (
        "1. Speech",
        (
            "normal speech processes",
            "detectable speech disturbance",
            "intelligible with repeating",
            "speech combined with nonvocal communication",
            "loss of useful speech",
        ),
    ),
    "salivation": (
        "2. Salivation",
        (
            "normal",
            "slight but definite excess of saliva; may have nighttime drooling",
            "moderately excessive saliva; may have minimal drooling",
            "marked excess of saliva with some drooling",
            "marked drooling; requires constant tissue or handkerchief",
        ),
    ),
    "swallowing": (
        "3. Swallowing",
        (
            "normal eating habits",
            "early eating problems - occasional choking",
            "dietary consistency changes",
            "needs supplemental tube feeding",
            "NPO (exclusively parenteral or enteral feeding)",
        ),
    ),
    "handwriting": (
        "4. Handwriting",
        (
            "normal",
            "slow or sloppy; all words are legible",
            "not all words are legible",
            "able to grip pen but unable to write",
            "unable to grip pen",
        ),
    ),
    "cutting_food": (
        "5. Cutting food and handling utensils",
        (
            "normal",
            "somewhat slow and clumsy, but no help needed",
            "can cut most foods, although clumsy and slow; some help needed",
            "food must be cut by someone, but can still feed slowly",
            "needs to be fed",
        ),
    ),
    "dressing_hygiene": (
        "6. Dressing and hygiene",
        (
            "normal function",
            "independent and complete self-care with effort or decreased efficiency",
            "intermittent assistance or substitute methods",
            "needs attendant for self-care",
            "total dependence",
        ),
    ),
    "turning_in_bed": (
        "7. Turning in bed and adjusting bed clothes",
        (
            "normal",
            "somewhat slow and clumsy, but no help needed",
            "can turn alone or adjust sheets, but with great difficulty",
            "can initiate, but not turn or adjust sheets alone",
            "helpless",
        ),
    ),
    "walking": (
        "8. Walking",
        (
            "normal",
            "early ambulation difficulties",
            "walks with assistance",
            "nonambulatory functional movement only",
            "no purposeful leg movement",
        ),
    ),
    "climbing_stairs": (
        "9. Climbing stairs",
        ("normal", "slow", "mild unsteadiness or fatigue", "needs assistance", "cannot do"),
    ),
    "dyspnea": (
        "10. Dyspnea",
        (
            "none",
            "occurs when walking",
            "occurs with one or more of eating, bathing, dressing",
            "occurs at rest, difficulty breathing when sitting or lying",
            "significant difficulty, considering using mechanical respiratory support",
        ),
    ),
    "orthopnea": (
        "11. Orthopnea",
        (
            "none",
            "some difficulty sleeping at night due to shortness of breath; does not routinely use more than two pillows",
            "needs extra pillows in order to sleep (more than two)",
            "can only sleep sitting up",
            "unable to sleep",
        ),
    ),
    "respiratory_insufficiency": (
        "12. Respiratory insufficiency",
        (
            "none",
            "intermittent use of BiPAP",
            "continuous use of BiPAP during the night",
            "continuous use of BiPAP during the night and day",
            "invasive mechanical ventilation by intubation or tracheostomy",
        ),
    ),
}

CUTTING_FOOD_GASTROSTOMY = (
    "normal",
    "clumsy but able to perform all manipulations independently",
    "some help needed with closures and fasteners",
    "provides minimal assistance to caregiver",
    "unable to perform any aspect of task",
)
"""Item 5b (patients with a gastrostomy)."""


def options(item: str) -> list[tuple[int, str]]:
    """(score, label) pairs, 4 (normal) first; item 5 shows the 5a and 5b anchors together."""
    anchors = ITEMS[item][1]
    out = []
    for score, text in zip((4, 3, 2, 1, 0), anchors, strict=True):
        if item == "cutting_food":
            text = f"5a: {text} | 5b: {CUTTING_FOOD_GASTROSTOMY[4 - score]}"
        out.append((score, f"{score} - {text}"))
    return out
