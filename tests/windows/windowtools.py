"""What the windows tests share."""

#: the second window's rules, as an officer records DGR 5377/2025's
NEW_RULES = {
    "act_number": "DGR 5377/2025",
    "act_date": "2025-11-24",
    "score_threshold": 50,
    "thematic_areas": ["green_digital", "reshoring"],
    "criteria": [
        {"key": "transition", "label": "Green and digital transition", "max": 50},
        {"key": "reshoring", "label": "Reshoring", "max": 50},
    ],
    "criteria_illustrative": True,
}
