"""Reference data of the Lombardy Region's calls."""

LOMBARDY_PROVINCES = {
    "BG": "Bergamo", "BS": "Brescia", "CO": "Como", "CR": "Cremona", "LC": "Lecco", "LO": "Lodi",
    "MN": "Mantova", "MI": "Milano", "MB": "Monza e Brianza", "PV": "Pavia", "SO": "Sondrio",
    "VA": "Varese",
}  # fmt: skip

THEMATIC_AREAS = {
    "sustainability": "Sustainability and circularity",
    "innovation": "Innovation, technology transfer, digitalisation, research and IP",
    "human_capital": "Training, human capital, employment and safety at work",
    "internationalisation": "Internationalisation",
    "credit": "Credit and capital strengthening",
}

S3_ECOSYSTEMS = {
    "advanced_manufacturing": "Advanced Manufacturing",
    "nutrition": "Nutrition",
    "health_life_science": "Health & Life Science",
    "culture_knowledge": "Culture & Knowledge",
    "connectivity_information": "Connectivity & Information",
    "smart_mobility_architecture": "Smart Mobility & Architecture",
    "sustainability": "Sustainability",
    "social_development": "Social Development",
}
