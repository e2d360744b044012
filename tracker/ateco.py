"""The sections of ATECO 2025, the Italian classification of economic activities: what an
application's ``ateco_section`` names (its partnership's sector).

ATECO 2025 is ISTAT's national version of the European NACE Rev. 2.1 (Regulation (EU)
2023/137), in force from 1 January 2025 and used by the administrations from 1 April 2025
(ISTAT, "ATECO 2025", https://www.istat.it/classificazione/verso-ateco-2025; G.U. n. 302 of
27/12/2024). It keeps NACE Rev. 2.1's 22 sections, A to V, where the old section J "Information
and communication" split into J (publishing, broadcasting, content) and K (telecommunication,
computer programming...), and the old K to U moved one letter on (L to V). The English titles are
NACE Rev. 2.1's (checked against public listings of the Regulation's sections); the Italian ones,
in the catalogue (tracker/translations), render ISTAT's ATECO 2025 section titles in sentence
case: the stored pages confirm the dates and the A-V structure, not each Italian title word for
word, so check them against ISTAT's "Struttura ATECO 2025" when it is at hand.
"""

from workflows.i18n import N_

SECTIONS = {
    "A": N_("Agriculture, forestry and fishing"),
    "B": N_("Mining and quarrying"),
    "C": N_("Manufacturing"),
    "D": N_("Electricity, gas, steam and air conditioning supply"),
    "E": N_("Water supply; sewerage, waste management and remediation activities"),
    "F": N_("Construction"),
    "G": N_("Wholesale and retail trade"),
    "H": N_("Transportation and storage"),
    "I": N_("Accommodation and food service activities"),
    "J": N_("Publishing, broadcasting, and content production and distribution activities"),
    "K": N_(
        "Telecommunication, computer programming, consulting, computing infrastructure and "
        "other information service activities"
    ),
    "L": N_("Financial and insurance activities"),
    "M": N_("Real estate activities"),
    "N": N_("Professional, scientific and technical activities"),
    "O": N_("Administrative and support service activities"),
    "P": N_("Public administration and defence; compulsory social security"),
    "Q": N_("Education"),
    "R": N_("Human health and social work activities"),
    "S": N_("Arts, sports and recreation"),
    "T": N_("Other service activities"),
    "U": N_(
        "Activities of households as employers; undifferentiated goods- and services-producing "
        "activities of households for own use"
    ),
    "V": N_("Activities of extraterritorial organisations and bodies"),
}
