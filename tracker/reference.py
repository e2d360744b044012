"""Reference data of the Lombardy Region's calls."""

from workflows.i18n import N_

LOMBARDY_PROVINCES = {
    "BG": "Bergamo", "BS": "Brescia", "CO": "Como", "CR": "Cremona", "LC": "Lecco", "LO": "Lodi",
    "MN": "Mantova", "MI": "Milano", "MB": "Monza e Brianza", "PV": "Pavia", "SO": "Sondrio",
    "VA": "Varese",
}  # fmt: skip

THEMATIC_AREAS = {
    "sustainability": N_("Sustainability and circularity"),
    "innovation": N_("Innovation, technology transfer, digitalisation, research and IP"),
    "human_capital": N_("Training, human capital, employment and safety at work"),
    "internationalisation": N_("Internationalisation"),
    "credit": N_("Credit and capital strengthening"),
}

S3_ECOSYSTEMS = {
    "advanced_manufacturing": N_("Advanced Manufacturing"),
    "nutrition": N_("Nutrition"),
    "health_life_science": N_("Health & Life Science"),
    "culture_knowledge": N_("Culture & Knowledge"),
    "connectivity_information": N_("Connectivity & Information"),
    "smart_mobility_architecture": N_("Smart Mobility & Architecture"),
    "sustainability": N_("Sustainability"),
    "social_development": N_("Social Development"),
}
