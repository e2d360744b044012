"""What the tracker says about AFIL itself, and where each fact comes from.

Source: AFIL's profile among the Lombard clusters ("Lombardy Intelligent Factory Association",
seed 000_7c348d1037cfbed6 of the team's sources, profile of 2024): reference ecosystem Advanced
Manufacturing, headquarters in Milan (Via G. Colombo, 83) and Brussels, 143 members.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Association:
    name: str
    italian_name: str
    members: int
    seat: str
    website: str
    source: str


AFIL = Association(
    name="Lombardy Intelligent Factory Association",
    italian_name="Associazione Fabbrica Intelligente Lombardia",
    members=143,
    seat="Milano, Via G. Colombo 83; Bruxelles, Place du Champ de Mars 1/3",
    website="https://www.afil.it/",
    source="AFIL cluster profile, 2024",
)
