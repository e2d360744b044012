"""Reference data of the Lombardy Region's calls."""

from workflows.i18n import N_

#: The Italian provinces by their sigla (the two letters of addresses, plates and the Registro
#: delle imprese): the 107 in force since the Sud Sardegna (SU) replaced Carbonia-Iglesias (CI),
#: Medio Campidano (VS), Ogliastra (OG) and Olbia-Tempio (OT) in 2017 (Codice della strada
#: regulation approved by the Council of Ministers, July 2017). Sardinia's latest reform (regional
#: law 7/2021, DGR 36/34 of 9 July 2025, in force since 17 July 2025: metropolitan cities of
#: Cagliari and Sassari, provinces of Nuoro, Oristano, Gallura Nord-Est Sardegna, Ogliastra,
#: Sulcis Iglesiente and Medio Campidano) takes ISTAT's new codes from 1 January 2026 and has no
#: sigle of its own yet, so SU stays; source: ISTAT, "Codici delle unità amministrative",
#: https://www.istat.it/it/archivio/6789 (update of 17 July 2025). Add the new sigle here once
#: they are assigned; organisations keep the code they were registered with.
ITALIAN_PROVINCES = {
    "AG": "Agrigento", "AL": "Alessandria", "AN": "Ancona", "AO": "Aosta", "AP": "Ascoli Piceno",
    "AQ": "L'Aquila", "AR": "Arezzo", "AT": "Asti", "AV": "Avellino", "BA": "Bari",
    "BG": "Bergamo", "BI": "Biella", "BL": "Belluno", "BN": "Benevento", "BO": "Bologna",
    "BR": "Brindisi", "BS": "Brescia", "BT": "Barletta-Andria-Trani", "BZ": "Bolzano",
    "CA": "Cagliari", "CB": "Campobasso", "CE": "Caserta", "CH": "Chieti", "CL": "Caltanissetta",
    "CN": "Cuneo", "CO": "Como", "CR": "Cremona", "CS": "Cosenza", "CT": "Catania",
    "CZ": "Catanzaro", "EN": "Enna", "FC": "Forlì-Cesena", "FE": "Ferrara", "FG": "Foggia",
    "FI": "Firenze", "FM": "Fermo", "FR": "Frosinone", "GE": "Genova", "GO": "Gorizia",
    "GR": "Grosseto", "IM": "Imperia", "IS": "Isernia", "KR": "Crotone", "LC": "Lecco",
    "LE": "Lecce", "LI": "Livorno", "LO": "Lodi", "LT": "Latina", "LU": "Lucca",
    "MB": "Monza e Brianza", "MC": "Macerata", "ME": "Messina", "MI": "Milano", "MN": "Mantova",
    "MO": "Modena", "MS": "Massa-Carrara", "MT": "Matera", "NA": "Napoli", "NO": "Novara",
    "NU": "Nuoro", "OR": "Oristano", "PA": "Palermo", "PC": "Piacenza", "PD": "Padova",
    "PE": "Pescara", "PG": "Perugia", "PI": "Pisa", "PN": "Pordenone", "PO": "Prato",
    "PR": "Parma", "PT": "Pistoia", "PU": "Pesaro e Urbino", "PV": "Pavia", "PZ": "Potenza",
    "RA": "Ravenna", "RC": "Reggio Calabria", "RE": "Reggio Emilia", "RG": "Ragusa",
    "RI": "Rieti", "RM": "Roma", "RN": "Rimini", "RO": "Rovigo", "SA": "Salerno", "SI": "Siena",
    "SO": "Sondrio", "SP": "La Spezia", "SR": "Siracusa", "SS": "Sassari", "SU": "Sud Sardegna",
    "SV": "Savona", "TA": "Taranto", "TE": "Teramo", "TN": "Trento", "TO": "Torino",
    "TP": "Trapani", "TR": "Terni", "TS": "Trieste", "TV": "Treviso", "UD": "Udine",
    "VA": "Varese", "VB": "Verbano-Cusio-Ossola", "VC": "Vercelli", "VE": "Venezia",
    "VI": "Vicenza", "VR": "Verona", "VT": "Viterbo", "VV": "Vibo Valentia",
}  # fmt: skip

LOMBARDY_PROVINCES = {code: ITALIAN_PROVINCES[code] for code in (
    "BG", "BS", "CO", "CR", "LC", "LO", "MN", "MI", "MB", "PV", "SO", "VA",
)}  # fmt: skip

#: Every thematic area ("ambito") a window of a call may offer; each window names its own
#: (``CallWindow.thematic_areas``). The first five are the value-chain EOI's under DGR 5899/2022;
#: the last six are those of DGR 5377 of 24/11/2025 for new value chains (portale.assimpredilance.it,
#: Suggerimento n. 560/19 of 4 December 2025: "innovazione e autonomia produttiva anche sociale;
#: transizione green e digitale; aggiornamento e riqualificazione della forza lavoro;
#: internazionalizzazione e attrattività...; reshoring; rafforzamento patrimoniale").
THEMATIC_AREAS = {
    "sustainability": N_("Sustainability and circularity"),
    "innovation": N_("Innovation, technology transfer, digitalisation, research and IP"),
    "human_capital": N_("Training, human capital, employment and safety at work"),
    "internationalisation": N_("Internationalisation"),
    "credit": N_("Credit and capital strengthening"),
    "productive_autonomy": N_("Innovation and productive autonomy, also social"),
    "green_digital": N_("Green and digital transition"),
    "workforce_skills": N_("Upskilling and reskilling of the workforce"),
    "attractiveness": N_("Internationalisation and attractiveness"),
    "reshoring": N_("Reshoring"),
    "capital_strengthening": N_("Capital strengthening"),
}
#: the areas of DGR 5899/2022 (the EOI's first windows; a call's first window by default)
DGR_5899_AREAS = ("sustainability", "innovation", "human_capital", "internationalisation", "credit")
#: the areas of DGR 5377/2025 for value chains assessed under it
DGR_5377_AREAS = (
    "productive_autonomy", "green_digital", "workforce_skills", "attractiveness", "reshoring",
    "capital_strengthening",
)  # fmt: skip

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
