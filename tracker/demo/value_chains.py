"""Demo data: a realistic world for a first look. Every firm and person in it is invented.

``load_demo()`` replays the Lombardy Region's value-chain Expression of Interest (DGR 5899/2022)
from March 2022 to late 2025 through the real operations: organisations, users, the call with its
three deadline extensions and its committee, then some sixty value chains driven through the
workflow's transitions with backdated timestamps. History rows, reviews, scores and quality labels
are therefore exactly what the application would have recorded.

Public bodies (universities, research centres, associations) carry their real names; firms, people,
VAT numbers, decree numbers and concept notes are invented, apart from the real case of the steel
value chain led by Duferco Travi e Profilati. Everything is deterministic (a seeded generator).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from tracker.demo import DEMO_PASSWORD

SEED = 5899
CALL_TITLE = "Manifestazione di interesse per l'individuazione delle filiere"
STEEL_TITLE = "Innovative and Sustainable Supply Chain in the Steel Industry"
FASHION_TITLE = "Fashion and Textile Supply Chain"
REGION_NAME = "Regione Lombardia - DG Sviluppo Economico"
CALL_OPENS = dt.date(2022, 3, 1)
ORIGINAL_DEADLINE = dt.date(2022, 12, 31)
#: (new deadline, when it was decided, why): the three real extensions of the EOI.
EXTENSIONS = [
    (
        dt.date(2023, 12, 31),
        dt.date(2022, 12, 15),
        "Rolling submissions continue in 2023: new partnerships are still forming.",
    ),
    (
        dt.date(2025, 12, 31),
        dt.date(2023, 12, 14),
        "Extended to keep the EOI open alongside the 2024-2025 support measures (ERDF).",
    ),
    (
        dt.date(2027, 12, 31),
        dt.date(2025, 12, 11),
        "Extended to the end of the 2021-27 programming period's regional measures.",
    ),
]
CRITERIA = [
    {"key": "coherence", "label": "Coherence of the partnership with the challenges", "max": 25},
    {"key": "concept_note", "label": "Quality of the concept note", "max": 30},
    {
        "key": "innovation_sustainability",
        "label": "Innovation and sustainability of the planned actions",
        "max": 25,
    },
    {
        "key": "representativeness",
        "label": "Representativeness (firms, SMEs, provinces)",
        "max": 20,
    },
]
THRESHOLD = 60

#: Decrees listing recognised value chains: (number, date, how many). 45 by October 2023.
LABEL_DECREES = [
    ("10512", dt.date(2022, 7, 22), 6),
    ("15907", dt.date(2022, 11, 10), 8),
    ("2176", dt.date(2023, 2, 16), 8),
    ("7934", dt.date(2023, 5, 25), 9),
    ("14260", dt.date(2023, 9, 28), 14),
    ("5381", dt.date(2024, 4, 18), 1),
]

# --- places ------------------------------------------------------------------------------------

#: The provincial office code (ISTAT province code) in digits 8-10 of a partita IVA.
VAT_OFFICE = {
    "VA": "012", "CO": "013", "SO": "014", "MI": "015", "BG": "016", "BS": "017", "PV": "018",
    "CR": "019", "MN": "020", "LC": "097", "LO": "098", "MB": "108",
    "BI": "096", "PO": "100", "PC": "033", "NO": "003", "TO": "001", "BO": "037", "VR": "023",
}  # fmt: skip
CITIES = {
    "VA": ["Varese", "Busto Arsizio", "Gallarate", "Saronno", "Castellanza", "Tradate"],
    "CO": ["Como", "Cantù", "Erba", "Mariano Comense", "Olgiate Comasco", "Lomazzo"],
    "SO": ["Sondrio", "Morbegno", "Tirano", "Chiavenna", "Bormio"],
    "MI": ["Milano", "Sesto San Giovanni", "Legnano", "Rho", "San Donato Milanese", "Magenta"],
    "BG": ["Bergamo", "Dalmine", "Treviglio", "Seriate", "Lovere", "Grassobbio", "Sarnico"],
    "BS": ["Brescia", "Lumezzane", "Montichiari", "Rovato", "Chiari", "Odolo", "Palazzolo sull'Oglio"],
    "PV": ["Pavia", "Vigevano", "Voghera", "Mortara", "Stradella"],
    "CR": ["Cremona", "Crema", "Casalmaggiore", "Soresina"],
    "MN": ["Mantova", "Suzzara", "Castel Goffredo", "Viadana", "Ostiglia"],
    "LC": ["Lecco", "Calolziocorte", "Merate", "Valmadrera", "Premana", "Oggiono"],
    "LO": ["Lodi", "Codogno", "Casalpusterlengo", "Sant'Angelo Lodigiano"],
    "MB": ["Monza", "Seregno", "Lissone", "Desio", "Meda", "Vimercate", "Agrate Brianza"],
    "BI": ["Biella"], "PO": ["Prato"], "PC": ["Piacenza"], "NO": ["Novara"], "TO": ["Torino"],
    "BO": ["Bologna"], "VR": ["Verona"],
}  # fmt: skip
SURNAMES = """Brambilla Colombo Ferrari Bianchi Villa Galli Sala Fumagalli Bonetti Cattaneo Marelli
Mauri Longhi Pozzi Riva Rota Locatelli Pagani Moretti Ghezzi Barbieri Zanetti Bertoli Belotti
Cremaschi Frigerio Ronchi Zucchi Valsecchi Redaelli Spreafico Crippa Perego Panzeri Mapelli
Bonfanti Ferrario Tagliabue Magni Zanardi Gatti Lazzari Porta Bassi Rizzi Ferrandi Guerini
Bettoni Pedretti Facchinetti Gritti Arrigoni Ravasio Scotti Boffi Molteni Tremolada Vismara
Sironi Invernizzi Corti Beretta Zanotti Pasotti Martinelli Gandolfi Lanfranchi Fontana Manzoni
Bodini Mazzoleni Rampinelli Ghidini Bonomelli Tironi Pezzotta Carminati Agazzi Baresi""".split()  # noqa: SIM905
FIRST_NAMES = """Marco Luca Giulia Francesca Andrea Paolo Chiara Alessandro Federica Stefano
Elena Matteo Silvia Davide Laura Roberto Valentina Giorgio Sara Simone Anna Massimo Martina
Fabio Cristina Lorenzo Elisa Riccardo Paola Alberto Monica Nicola Barbara Enrico Giovanna""".split()  # noqa: SIM905


@dataclass(frozen=True)
class Family:
    """An industrial family: how its firms are named, their roles, and its concept-note text."""

    firms: dict[str, str]  # name prefix -> the role such a firm plays
    provinces: tuple[str, ...]
    others: tuple[str, ...]  # keys of the universities, centres, associations it works with
    challenges: str
    needs: str
    objectives: str
    actions: str
    investments: str


FAMILIES: dict[str, Family] = {
    "metal": Family(
        {"Acciaierie": "Steel production (electric-arc furnace)", "Fonderia": "Foundry castings",
         "Laminatoio": "Hot rolling and profiles", "Trafileria": "Wire drawing",
         "Forgiatura": "Forging", "Trattamenti Termici": "Heat treatments",
         "Zincatura": "Hot-dip galvanising", "Carpenteria Metallica": "Metal structures",
         "Rottami e Metalli": "Scrap recovery and preparation",
         "Ottoneria": "Brass and copper alloys", "Minuterie Metalliche": "Turned and pressed parts",
         "Molle e Minuterie": "Springs and fasteners", "Posaterie": "Cutlery and household goods"},
        ("BS", "BG", "LC", "MI", "VA", "CR", "MN"),
        ("polimi", "unibg", "csmt", "stiima", "federacciai", "its_lonati", "conf_bs", "conf_lc"),
        "In the {place} area, firms working on {focus} feel the pressure of energy prices, "
        "decarbonisation targets and the EU carbon border adjustment. Melting and finishing "
        "by-products still end up in landfill, and the small subcontractors lack the data to "
        "certify the recycled content of what they sell.",
        "Shared characterisation of by-products and common procedures for end-of-waste "
        "authorisations; joint energy purchasing; technicians trained in process digitalisation; "
        "access to credit for plant renewal.",
        "To {goal}, cutting landfilled by-products and CO2 per tonne and raising the recycled "
        "content certified along the chain of {nf} Lombard firms.",
        "A joint technical table with the universities; pilot trials in the partners' plants; a "
        "shared database of material passports; training modules with the ITS; joint presence at "
        "trade fairs and a yearly public report of the chain's indicators.",
        "Pilot treatment lines, sensors and energy monitoring, certifications and training: about "
        "EUR {amount} million over three years, to be co-financed through the regional measures.",
    ),
    "mechanics": Family(
        {"Officine Meccaniche": "Precision machining", "Macchine Utensili": "Machine builder",
         "Costruzioni Meccaniche": "Machine builder", "Automazioni": "Industrial automation and PLC",
         "Ingranaggi": "Gears and transmissions", "Oleodinamica": "Hydraulic components",
         "Rettifiche": "Grinding and finishing", "Valvole": "Valves and fittings",
         "Stampi": "Moulds and dies", "Lamiere": "Sheet-metal work",
         "Robotica": "Robotic cells", "Macchine Agricole": "Agricultural machinery"},
        ("BG", "BS", "LC", "MI", "VA", "MB", "CO", "MN"),
        ("polimi", "unibg", "stiima", "its_meccatronica", "afil", "assolombarda", "conf_bg"),
        "In the {place} area, the firms working on {focus} depend on a few large customers, face "
        "shrinking margins and struggle to hire technicians; digital tools spread unevenly "
        "between the leaders and the small suppliers.",
        "Interoperable production data between customers and suppliers; skills in automation and "
        "data analysis; shared test benches; working capital to follow larger orders.",
        "To {goal}, so that {nf} Lombard firms of the chain share data, tools and skills and grow "
        "together rather than compete on price alone.",
        "A common data model for orders and quality; pilot digital twins in three plants; shared "
        "test benches at the research partners; dual training with the ITS; joint scouting of "
        "foreign customers.",
        "Software, sensors and retrofit of machines, test benches and training: about EUR "
        "{amount} million over three years.",
    ),
    "textile": Family(
        {"Tessitura": "Weaving", "Filatura": "Spinning", "Tintoria": "Dyeing and finishing",
         "Stamperia": "Textile printing", "Maglificio": "Knitwear", "Confezioni": "Garment making",
         "Calzificio": "Hosiery", "Nobilitazione Tessile": "Finishing", "Seterie": "Silk weaving",
         "Calzaturificio": "Footwear", "Tessuti Tecnici": "Technical textiles and nonwovens",
         "Rigenerati Tessili": "Textile recycling"},
        ("CO", "VA", "BG", "MI", "MN", "PV", "BS"),
        ("polimi", "centrocot", "serico", "its_moda", "smi", "liuc", "conf_co"),
        "In the {place} area, the chain of {focus} competes with low-cost producers and must meet "
        "the new EU rules on textile sustainability (eco-design, extended producer responsibility, "
        "digital product passport) with small firms that lack the data to prove it.",
        "Traceability from fibre to finished product; lower water and energy use in dyeing and "
        "finishing; recovery of production waste; young technicians for looms and knitting machines.",
        "To {goal}, with {nf} Lombard firms sharing a traceability platform and common "
        "environmental indicators.",
        "A shared traceability platform and digital product passport; pilot recycling of "
        "production offcuts; water and energy audits in the dye-houses; a training course with the "
        "ITS; a joint collection presented at international fairs.",
        "Traceability software, recycling and finishing equipment, audits and training: about EUR "
        "{amount} million over three years.",
    ),
    "agrifood": Family(
        {"Caseificio": "Dairy processing", "Latteria Sociale": "Dairy cooperative",
         "Allevamenti": "Livestock farming", "Salumificio": "Meat processing and curing",
         "Riseria": "Rice milling", "Azienda Agricola": "Primary production (farm)",
         "Cantina": "Winemaking", "Frutticoltura": "Fruit growing and storage",
         "Molino": "Milling", "Dolciaria": "Bakery and confectionery",
         "Mangimificio": "Animal feed", "Cooperativa Agricola": "Producers' cooperative",
         "Logistica del Freddo": "Cold-chain logistics", "Ortofrutta": "Fruit and vegetables"},
        ("CR", "LO", "MN", "BS", "BG", "PV", "SO"),
        ("unimi", "cattolica", "ibba", "izsler", "its_agro", "coldiretti", "confcoop", "catal"),
        "In the {place} area, the chain of {focus} faces climate extremes, rising costs of energy "
        "and feed, stricter environmental rules and a fragmented structure in which farms capture "
        "little of the value of the protected products.",
        "Shared data from field to shelf; lower emissions and water use; valorisation of "
        "by-products; skilled workers and technicians; a stronger presence on foreign markets.",
        "To {goal}, involving {nf} Lombard firms from farms to processors and distributors.",
        "A traceability and sustainability dashboard shared by the partners; pilot projects on "
        "by-products and precision farming; joint promotion of the protected products; training "
        "with the vocational schools and the ITS.",
        "Digital tools, pilot plants for by-products, promotion and training: about EUR {amount} "
        "million over three years.",
    ),
    "chemistry": Family(
        {"Chimica": "Fine chemicals", "Industrie Chimiche": "Chemical intermediates",
         "Farmaceutici": "Active pharmaceutical ingredients", "Principi Attivi": "API synthesis",
         "Laboratori": "Analytical laboratory", "Cosmetici": "Cosmetic formulation",
         "Cosmesi Conto Terzi": "Contract manufacturing of cosmetics",
         "Vernici": "Paints and coatings", "Resine": "Resins and adhesives",
         "Biochimica": "Bio-based chemicals", "Flaconi e Astucci": "Packaging of chemical products"},
        ("MI", "VA", "LO", "PV", "CR", "BG", "MB"),
        ("unimi", "scitec", "lgca", "insubria", "its_vita", "cosmetica"),
        "In the {place} area, firms working on {focus} must comply with REACH restrictions and "
        "with the EU's chemicals strategy for sustainability while relying on raw materials "
        "imported from Asia; the skilled chemists they need are scarce.",
        "Safer and bio-based substitutes for restricted substances; shared regulatory services; "
        "pilot plants for continuous processes; young chemists and process operators.",
        "To {goal}, with {nf} Lombard firms sharing pilot facilities and regulatory know-how.",
        "A shared regulatory desk; pilot-scale trials at the research partners; substitution "
        "studies for restricted substances; a training path with universities and ITS; joint "
        "participation in European partnerships.",
        "Pilot plants, laboratory equipment, regulatory dossiers and training: about EUR {amount} "
        "million over three years.",
    ),
    "wood": Family(
        {"Mobilificio": "Furniture manufacturer", "Arredamenti": "Furniture and contract",
         "Falegnameria": "Joinery", "Imbottiti": "Upholstery", "Segheria": "Sawmill",
         "Pannelli": "Panels and semi-finished products", "Illuminazione": "Lighting",
         "Ferramenta per Mobili": "Hardware and accessories",
         "Case in Legno": "Timber construction", "Legnami": "Timber trade and drying"},
        ("MB", "CO", "MI", "CR", "SO", "BG", "LC"),
        ("polimi", "federlegno", "its_moda", "conf_co", "assolombarda", "cna"),
        "In the {place} area, firms working on {focus} are small, export-driven and exposed to "
        "the rising price of wood and panels; large contract projects abroad require them to act "
        "together.",
        "Certified and recycled materials; design for disassembly; shared logistics for contract "
        "projects; skilled craftsmen and digital designers.",
        "To {goal}, with {nf} Lombard firms able to bid together for large projects.",
        "A catalogue of certified materials; prototypes designed for disassembly; a joint "
        "contract office; training of young craftsmen; presence at the Salone del Mobile and at "
        "foreign fairs.",
        "Prototypes, machinery for recycled panels, promotion and training: about EUR {amount} "
        "million over three years.",
    ),
    "aerospace": Family(
        {"Aerostrutture": "Aerostructures", "Compositi": "Composite parts",
         "Avionica": "Avionics and electronics", "Meccanica Aeronautica": "Precision machining",
         "Microfusioni": "Investment casting", "Trattamenti Speciali": "Special processes (NDT, "
         "surface treatments)", "Space Components": "Satellite subsystems",
         "Sistemi di Bordo": "On-board systems"},
        ("VA", "MI", "BG", "BS", "MB", "CO"),
        ("polimi", "liuc", "insubria", "aerospace_cluster", "its_meccatronica", "conf_va"),
        "In the {place} area, the suppliers of {focus} must follow the prime contractors' ramp-up "
        "while meeting demanding certifications (EN 9100, NADCAP); many are too small to invest "
        "alone in digital quality and special processes.",
        "Shared certification of special processes; digital quality records; composite and "
        "additive-manufacturing skills; capital for new machines.",
        "To {goal}, with {nf} Lombard suppliers qualified together for new programmes.",
        "A shared quality and certification office; pilot lines for composites and additive "
        "manufacturing; a training academy with the ITS; joint presence at Farnborough and "
        "Le Bourget.",
        "Machines, certification, software and training: about EUR {amount} million over three years.",
    ),
    "plastics": Family(
        {"Riciclo Plastica": "Plastics recycling", "Compounds": "Compounding",
         "Stampaggio": "Injection moulding", "Film Plastici": "Film extrusion",
         "Gomma": "Rubber products", "Elastomeri": "Technical elastomers",
         "Imballaggi": "Packaging", "Ecoservizi": "Collection and sorting",
         "Polimeri": "Polymer production", "Stampa 3D": "Additive manufacturing"},
        ("VA", "BG", "MI", "BS", "CO", "LO", "CR", "MB"),
        ("polimi", "scitec", "lgca", "afil", "stiima", "conf_va", "unibg"),
        "In the {place} area, firms working on {focus} must meet the EU targets for recycled "
        "content and the Packaging Regulation, while the quality and price of secondary raw "
        "materials vary from batch to batch.",
        "Reliable quality of recycled materials; design for recycling; traceability of secondary "
        "raw materials; skilled technicians for new processes.",
        "To {goal}, with {nf} Lombard firms from collection to moulding.",
        "Shared quality specifications for recycled polymers; pilot trials of new compounds; "
        "design-for-recycling guidelines; a traceability system; training with the ITS.",
        "Sorting and compounding equipment, laboratory tests, software and training: about EUR "
        "{amount} million over three years.",
    ),
    "biomedical": Family(
        {"Biomedica": "Medical devices", "Dispositivi Medici": "Medical disposables",
         "Ortopedia": "Orthopaedic implants", "Diagnostica": "In-vitro diagnostics",
         "Elettromedicali": "Electromedical equipment",
         "Sterilizzazione": "Sterilisation and packaging", "Software Clinico": "Clinical software",
         "Nutraceutici": "Nutraceuticals", "Integratori": "Food supplements",
         "Strumenti di Laboratorio": "Laboratory instruments"},
        ("MI", "MB", "PV", "BG", "VA", "CO"),
        ("unimi", "polimi", "life_science", "its_vita", "insubria", "assolombarda"),
        "In the {place} area, firms working on {focus} face the EU Medical Device Regulation, "
        "which multiplies the cost of clinical evidence and certification; small firms risk "
        "taking products off the market.",
        "Shared regulatory and clinical-evaluation services; access to hospitals for trials; "
        "quality systems; regulatory and quality specialists.",
        "To {goal}, with {nf} Lombard firms sharing regulatory services and clinical partners.",
        "A shared regulatory office; joint clinical investigations with the hospitals; pilot "
        "production lines; a training course for regulatory specialists; joint participation in "
        "foreign tenders.",
        "Certification, clinical studies, equipment and training: about EUR {amount} million over "
        "three years.",
    ),
    "mobility": Family(
        {"Componenti Auto": "Automotive components", "Motori Elettrici": "Electric motors",
         "Batterie": "Battery systems", "Cicli": "Bicycles and components",
         "Cantiere Nautico": "Boatbuilding", "Ferroviaria": "Rolling-stock components",
         "Cablaggi": "Wiring harnesses", "Trasmissioni": "Transmissions",
         "Collaudi": "Testing and homologation"},
        ("BS", "BG", "MI", "VA", "LC", "MB", "CO"),
        ("polimi", "unibg", "mobility_cluster", "its_meccatronica", "rse", "conf_bg"),
        "In the {place} area, firms working on {focus} are exposed to the transition of the "
        "European vehicle market, to the reshoring of supply chains and to new standards for "
        "electric and connected vehicles.",
        "Conversion of products and processes; testing facilities; recycling of batteries and "
        "components; retraining of workers; capital for new lines.",
        "To {goal}, with {nf} Lombard firms converting together rather than one by one.",
        "A shared roadmap of the products to convert; pilot lines and test benches; recycling "
        "trials; retraining plans with the ITS and the trade unions; joint scouting of customers.",
        "New lines, test benches, recycling pilots and training: about EUR {amount} million over "
        "three years.",
    ),
    "energy": Family(
        {"Energia": "Renewable generation", "Biogas": "Biomethane production",
         "Idrogeno": "Electrolysers and hydrogen", "Pompe di Calore": "Heat pumps",
         "Servizi Energetici": "Energy services (ESCo)", "Fotovoltaico": "Photovoltaics",
         "Impianti Termici": "Plant engineering", "Elettromeccanica": "Grid and storage"},
        ("BS", "BG", "MN", "CR", "LO", "MI", "SO", "PV"),
        ("polimi", "rse", "energy_cluster", "unibg", "its_energia", "coldiretti"),
        "In the {place} area, firms working on {focus} must turn the energy transition into an "
        "industrial opportunity, while permits, grid connections and the price of components slow "
        "projects down.",
        "Demonstration plants; standard contracts between producers and users; installers and "
        "technicians; access to credit for new plants.",
        "To {goal}, with {nf} Lombard firms as producers, technology suppliers and users.",
        "Feasibility studies and demonstration plants; standard agreements among partners; "
        "training of installers with the ITS; a shared desk for permits.",
        "Demonstration plants, studies and training: about EUR {amount} million over three years.",
    ),
    "construction": Family(
        {"Costruzioni": "General contractor", "Edilizia": "Building renovation",
         "Calcestruzzi": "Ready-mixed concrete", "Cementi": "Cement", "Laterizi": "Bricks and tiles",
         "Marmi": "Natural stone", "Cave": "Quarrying", "Inerti": "Recycled aggregates",
         "Impresa Stradale": "Road construction", "Serramenti": "Windows and façades",
         "Facciate": "Curtain walls"},
        ("MI", "BG", "BS", "SO", "CO", "LC", "VA", "MB"),
        ("polimi", "unibg", "cna", "confartigianato", "ance_lombardia"),
        "In the {place} area, firms working on {focus} must cut the embodied carbon of buildings "
        "and infrastructure and use more secondary raw materials, while public tenders "
        "increasingly require green public procurement criteria.",
        "Technical approvals for recycled materials; digital building information models shared "
        "along the chain; skilled workers; credit for energy-efficient plants.",
        "To {goal}, with {nf} Lombard firms from quarries and plants to builders.",
        "Technical approvals and test campaigns; pilot building sites; a shared BIM library; "
        "training of workers with the building schools; joint bids for public works.",
        "Test campaigns, pilot sites, plants and training: about EUR {amount} million over three years.",
    ),
    "paper": Family(
        {"Cartiera": "Paper mill", "Cartotecnica": "Converting", "Arti Grafiche": "Printing",
         "Tipografia": "Printing", "Imballaggi in Cartone": "Corrugated board",
         "Legatoria": "Bookbinding", "Macero": "Recovered paper collection"},
        ("MI", "BG", "CR", "VA", "MB", "BS", "LO"),
        ("polimi", "unimi", "assolombarda", "enaip", "confartigianato"),
        "In the {place} area, firms working on {focus} face high energy costs, the shift from "
        "print to digital and the demand for plastic-free packaging.",
        "Energy efficiency of paper mills; new packaging designs; digital printing skills; capital "
        "for new lines.",
        "To {goal}, with {nf} Lombard firms from recovered paper to finished products.",
        "Energy audits and efficiency projects; new packaging prototypes with the customers; "
        "training with the graphic-arts schools; joint promotion.",
        "Energy efficiency, new lines and training: about EUR {amount} million over three years.",
    ),
    "digital": Family(
        {"Software": "Industrial software", "Cyber": "Cybersecurity",
         "Elettronica": "Electronic design", "Microsistemi": "Sensors and MEMS",
         "Semiconduttori": "Semiconductor equipment", "Data": "Cloud and data services",
         "Sistemi": "System integration", "Informatica": "IT services"},
        ("MI", "MB", "BG", "VA", "PV", "BS"),
        ("polimi", "unimi", "fondazione_polimi", "assolombarda", "its_meccatronica"),
        "In the {place} area, firms working on {focus} serve manufacturers that digitalise fast "
        "but lack specialists; the NIS2 directive and the Cyber Resilience Act raise the bar for "
        "security.",
        "Specialists in data, software and cybersecurity; test environments; shared standards; "
        "access to European projects.",
        "To {goal}, with {nf} Lombard firms offering integrated solutions to manufacturers.",
        "A shared test environment; pilot projects in manufacturing SMEs; a training academy with "
        "universities and ITS; participation in European Digital Innovation Hubs.",
        "Test environments, pilots and training: about EUR {amount} million over three years.",
    ),
    "crafts": Family(
        {"Liuteria": "Violin making", "Strumenti Musicali": "Musical instruments",
         "Legni Armonici": "Tonewood supply", "Oreficeria": "Goldsmith workshop",
         "Argenteria": "Silverware", "Gioielli": "Jewellery design",
         "Pelletteria": "Leather goods", "Conceria": "Tanning", "Accessori Moda": "Accessories"},
        ("CR", "MI", "BS", "VA", "CO"),
        ("confartigianato", "cna", "polimi", "school_stradivari", "enaip"),
        "In the {place} area, the artisan firms of {focus} hold unique skills but are very "
        "small, with ageing owners and little access to foreign markets and credit.",
        "Hand-over of craft skills to young people; certified raw materials; e-commerce and export "
        "services; credit for small investments.",
        "To {goal}, with {nf} Lombard workshops and firms.",
        "Apprenticeships in the workshops; a shared brand and e-commerce; certification of raw "
        "materials; joint presence at international fairs.",
        "Training, promotion, certification and small equipment: about EUR {amount} million over "
        "three years.",
    ),
}  # fmt: skip

#: Service firms any partnership may include: name prefix -> role.
GENERIC = {"Logistica": "Logistics", "Trasporti": "Transport", "Engineering": "Engineering services",
           "Servizi Ambientali": "Environmental services", "Laboratorio Prove": "Testing laboratory",
           "Consulting": "Consulting on innovation and funding"}  # fmt: skip

#: The kinds of firm (name prefixes) at the heart of each value chain; the first is its lead's.
CORE = {
    "Brass and Copper Alloys Value Chain of the Val Trompia": ("Ottoneria", "Fonderia", "Minuterie Metalliche", "Rottami e Metalli"),
    "Forging and Heat Treatment Value Chain of Lecco": ("Forgiatura", "Trattamenti Termici", "Acciaierie", "Laminatoio"),
    "Wire, Springs and Fasteners Supply Chain of the Lario": ("Trafileria", "Molle e Minuterie", "Zincatura", "Minuterie Metalliche"),
    "Cutlery and Household Goods Value Chain of Lumezzane": ("Posaterie", "Minuterie Metalliche", "Trattamenti Termici"),
    "Machine Tools and Industrial Automation Value Chain": ("Macchine Utensili", "Automazioni", "Robotica", "Officine Meccaniche", "Ingranaggi"),
    "Bergamo Precision Mechanics and Subcontracting Supply Chain": ("Officine Meccaniche", "Rettifiche", "Lamiere", "Stampi"),
    "Valves and Fluid Control Value Chain": ("Valvole", "Officine Meccaniche", "Oleodinamica"),
    "Agricultural Machinery Value Chain of the Po Valley": ("Macchine Agricole", "Costruzioni Meccaniche", "Lamiere", "Oleodinamica"),
    "Robotics and Mechatronics Value Chain for Advanced Manufacturing": ("Robotica", "Automazioni", "Macchine Utensili"),
    "Hydraulics and Power Transmission Supply Chain": ("Oleodinamica", "Ingranaggi", "Officine Meccaniche"),
    "Como Silk District Value Chain": ("Seterie", "Tessitura", "Stamperia", "Tintoria", "Nobilitazione Tessile"),
    "Technical Textiles and Nonwovens Value Chain": ("Tessuti Tecnici", "Filatura", "Nobilitazione Tessile"),
    "Hosiery and Seamless Knitwear Supply Chain of Castel Goffredo": ("Calzificio", "Maglificio", "Tintoria", "Filatura"),
    "Footwear Value Chain of Vigevano": ("Calzaturificio", "Confezioni"),
    "Circular Denim and Garment Recycling Supply Chain": ("Rigenerati Tessili", "Confezioni", "Tintoria", "Filatura"),
    "Grana Padano and Provolone Valpadana Dairy Value Chain": ("Caseificio", "Latteria Sociale", "Allevamenti", "Mangimificio"),
    "Lomellina Rice Value Chain": ("Riseria", "Azienda Agricola", "Cooperativa Agricola"),
    "Mantua Pork and Cured Meats Supply Chain": ("Salumificio", "Allevamenti", "Mangimificio"),
    "Valtellina Mountain Agri-food Value Chain": ("Cooperativa Agricola", "Frutticoltura", "Salumificio", "Caseificio", "Latteria Sociale"),
    "Franciacorta and Lombard Sparkling Wine Value Chain": ("Cantina", "Azienda Agricola"),
    "Oltrepò Pavese Wine Value Chain": ("Cantina", "Azienda Agricola", "Cooperativa Agricola"),
    "Lodi Dairy and Animal Feed Supply Chain": ("Latteria Sociale", "Mangimificio", "Allevamenti", "Caseificio"),
    "Bakery and Confectionery Value Chain of Cremona": ("Dolciaria", "Molino", "Azienda Agricola"),
    "Fruit and Vegetables Short Chain of the Mantuan Plain": ("Ortofrutta", "Azienda Agricola", "Cooperativa Agricola", "Logistica del Freddo"),
    "Agri-food Logistics and Cold Chain Value Chain": ("Logistica del Freddo", "Ortofrutta", "Caseificio", "Salumificio"),
    "Green Chemistry and Bio-based Products Value Chain": ("Biochimica", "Chimica", "Industrie Chimiche"),
    "Pharmaceutical Active Ingredients Supply Chain": ("Farmaceutici", "Principi Attivi", "Laboratori", "Chimica"),
    "Cosmetics Value Chain of Crema and Lodi": ("Cosmetici", "Cosmesi Conto Terzi", "Flaconi e Astucci", "Laboratori"),
    "Paints, Coatings and Surface Treatments Value Chain": ("Vernici", "Resine", "Chimica"),
    "Fine Chemicals Value Chain of Varese": ("Chimica", "Industrie Chimiche", "Laboratori"),
    "Brianza Furniture and Design Value Chain": ("Mobilificio", "Imbottiti", "Arredamenti", "Ferramenta per Mobili"),
    "Circular Wood-Furniture Supply Chain": ("Pannelli", "Mobilificio", "Falegnameria", "Legnami"),
    "Alpine Timber and Wooden Construction Value Chain": ("Case in Legno", "Segheria", "Legnami", "Falegnameria"),
    "Contract Furnishing and Lighting Design Supply Chain": ("Arredamenti", "Illuminazione", "Imbottiti", "Mobilificio"),
    "Lombardy Aerospace and Helicopter Supply Chain": ("Meccanica Aeronautica", "Aerostrutture", "Avionica", "Trattamenti Speciali"),
    "Space Economy Components Value Chain": ("Space Components", "Avionica", "Sistemi di Bordo"),
    "Aerostructures and Composites Value Chain": ("Compositi", "Aerostrutture", "Trattamenti Speciali"),
    "Plastics Recycling and Secondary Raw Materials Value Chain": ("Riciclo Plastica", "Ecoservizi", "Compounds", "Stampaggio"),
    "Rubber and Technical Elastomers Supply Chain of the Sebino": ("Gomma", "Elastomeri", "Stampaggio"),
    "Packaging and Bioplastics Value Chain": ("Imballaggi", "Film Plastici", "Polimeri"),
    "Polymer Compounding and Additive Manufacturing Value Chain": ("Compounds", "Polimeri", "Stampa 3D"),
    "Biomedical Devices Value Chain": ("Biomedica", "Dispositivi Medici", "Sterilizzazione", "Elettromedicali"),
    "Orthopaedic Implants and Prosthetics Supply Chain": ("Ortopedia", "Sterilizzazione", "Biomedica"),
    "Diagnostics and Life-Science Instruments Value Chain": ("Diagnostica", "Strumenti di Laboratorio", "Software Clinico"),
    "Nutraceuticals and Food Supplements Value Chain": ("Nutraceutici", "Integratori"),
    "E-mobility Components and Battery Value Chain": ("Motori Elettrici", "Batterie", "Componenti Auto", "Cablaggi"),
    "Cycling and Two-wheelers Value Chain": ("Cicli", "Trasmissioni", "Componenti Auto"),
    "Railway Rolling Stock Supply Chain": ("Ferroviaria", "Cablaggi", "Collaudi"),
    "Automotive Components Transition Supply Chain": ("Componenti Auto", "Trasmissioni", "Cablaggi"),
    "Lake Boatbuilding Value Chain": ("Cantiere Nautico",),
    "Hydrogen Valley Value Chain": ("Idrogeno", "Energia", "Impianti Termici"),
    "Heat Pumps and Renewable Energy Communities Value Chain": ("Pompe di Calore", "Fotovoltaico", "Servizi Energetici"),
    "Biomethane from Agricultural Residues Value Chain": ("Biogas", "Energia", "Impianti Termici"),
    "Sustainable Construction and Building Renovation Value Chain": ("Costruzioni", "Edilizia", "Serramenti", "Facciate"),
    "Stone and Marble Value Chain of the Lombard Prealps": ("Marmi", "Cave"),
    "Cement and Recycled Aggregates Supply Chain": ("Cementi", "Calcestruzzi", "Inerti", "Cave"),
    "Doors, Windows and Façades Supply Chain": ("Serramenti", "Facciate"),
    "Paper, Printing and Graphic Arts Value Chain": ("Arti Grafiche", "Tipografia", "Legatoria", "Cartiera"),
    "Corrugated Packaging Supply Chain": ("Imballaggi in Cartone", "Cartiera", "Cartotecnica", "Macero"),
    "Industrial Software and Cybersecurity Value Chain": ("Software", "Cyber", "Sistemi"),
    "Microelectronics and Semiconductor Supply Chain": ("Semiconduttori", "Microsistemi", "Elettronica"),
    "Data and Cloud Services for Manufacturing Value Chain": ("Data", "Informatica", "Software"),
    "Musical Instruments and Violin Making Value Chain of Cremona": ("Liuteria", "Strumenti Musicali", "Legni Armonici"),
    "Jewellery and Goldsmith Value Chain": ("Oreficeria", "Gioielli", "Argenteria"),
    "Leather Goods and Accessories Value Chain": ("Pelletteria", "Conceria", "Accessori Moda"),
}  # fmt: skip

#: Organisations that are not firms: (key, name, kind, province, city). Real public bodies;
#: banks and schools partly invented.
OTHERS = [
    ("region", REGION_NAME, "other", "MI", "Milano"),
    ("polimi", "Politecnico di Milano", "university", "MI", "Milano"),
    ("unimi", "Università degli Studi di Milano", "university", "MI", "Milano"),
    ("unimib", "Università degli Studi di Milano-Bicocca", "university", "MI", "Milano"),
    ("unipv", "Università degli Studi di Pavia", "university", "PV", "Pavia"),
    ("unibs", "Università degli Studi di Brescia", "university", "BS", "Brescia"),
    ("unibg", "Università degli Studi di Bergamo", "university", "BG", "Bergamo"),
    ("cattolica", "Università Cattolica del Sacro Cuore", "university", "CR", "Cremona"),
    ("insubria", "Università degli Studi dell'Insubria", "university", "VA", "Varese"),
    ("liuc", "LIUC - Università Cattaneo", "university", "VA", "Castellanza"),
    ("stiima", "CNR-STIIMA Istituto di Sistemi e Tecnologie Industriali Intelligenti per il "
     "Manifatturiero Avanzato", "research_centre", "MI", "Milano"),
    ("scitec", "CNR-SCITEC Istituto di Scienze e Tecnologie Chimiche", "research_centre", "MI", "Milano"),
    ("ibba", "CNR-IBBA Istituto di Biologia e Biotecnologia Agraria", "research_centre", "MI", "Milano"),
    ("rse", "RSE - Ricerca sul Sistema Energetico", "research_centre", "MI", "Milano"),
    ("csmt", "CSMT - Centro Servizi Multisettoriale e Tecnologico", "research_centre", "BS", "Brescia"),
    ("centrocot", "Centrocot - Centro Tessile Cotoniero e Abbigliamento", "research_centre", "VA",
     "Busto Arsizio"),
    ("serico", "Centro Tessile Serico Sostenibile", "research_centre", "CO", "Como"),
    ("izsler", "Istituto Zooprofilattico Sperimentale della Lombardia e dell'Emilia-Romagna",
     "research_centre", "BS", "Brescia"),
    ("fondazione_polimi", "Fondazione Politecnico di Milano", "research_centre", "MI", "Milano"),
    ("its_meccatronica", "Fondazione ITS Lombardia Meccatronica Academy", "training_body", "MI",
     "Sesto San Giovanni"),
    ("its_lonati", "ITS Machina Lonati", "training_body", "BS", "Brescia"),
    ("its_vita", "Fondazione ITS Nuove Tecnologie della Vita", "training_body", "BG", "Bergamo"),
    ("its_moda", "Fondazione ITS Moda e Design Como", "training_body", "CO", "Como"),
    ("its_agro", "Fondazione ITS Agroalimentare Lombardia", "training_body", "CR", "Cremona"),
    ("its_energia", "Fondazione ITS Energia e Ambiente Lombardia", "training_body", "BG", "Dalmine"),
    ("enaip", "ENAIP Lombardia", "training_body", "MI", "Milano"),
    ("school_stradivari", "Istituto di Istruzione Superiore Antonio Stradivari", "other", "CR",
     "Cremona"),
    ("afil", "AFIL - Associazione Fabbrica Intelligente Lombardia", "association", "MI", "Milano"),
    ("assolombarda", "Assolombarda", "association", "MI", "Milano"),
    ("conf_bs", "Confindustria Brescia", "association", "BS", "Brescia"),
    ("conf_bg", "Confindustria Bergamo", "association", "BG", "Bergamo"),
    ("conf_lc", "Confindustria Lecco e Sondrio", "association", "LC", "Lecco"),
    ("conf_va", "Confindustria Varese", "association", "VA", "Varese"),
    ("conf_co", "Confindustria Como", "association", "CO", "Como"),
    ("confartigianato", "Confartigianato Lombardia", "association", "MI", "Milano"),
    ("cna", "CNA Lombardia", "association", "MI", "Milano"),
    ("coldiretti", "Coldiretti Lombardia", "association", "MI", "Milano"),
    ("confcoop", "Confcooperative Lombardia", "association", "MI", "Milano"),
    ("ance_lombardia", "ANCE Lombardia", "association", "MI", "Milano"),
    ("federacciai", "Federacciai", "association", "MI", "Milano"),
    ("federlegno", "FederlegnoArredo", "association", "MI", "Milano"),
    ("smi", "Sistema Moda Italia", "association", "MI", "Milano"),
    ("cosmetica", "Cosmetica Italia", "association", "MI", "Milano"),
    ("catal", "Cluster Alta Tecnologia Agroalimentare Lombardia", "association", "MI", "Milano"),
    ("lgca", "Lombardy Green Chemistry Association", "association", "MI", "Milano"),
    ("life_science", "Cluster Lombardo Scienze della Vita", "association", "MI", "Milano"),
    ("mobility_cluster", "Cluster Lombardo della Mobilità", "association", "MI", "Milano"),
    ("aerospace_cluster", "Lombardia Aerospace Cluster", "association", "VA", "Gallarate"),
    ("energy_cluster", "Lombardy Energy Cleantech Cluster", "association", "MI", "Milano"),
    ("finlombarda", "Finlombarda S.p.A.", "financial", "MI", "Milano"),
    ("confidi", "Confidi Systema!", "financial", "MI", "Milano"),
    ("bcc_oglio", "Banca di Credito Cooperativo dell'Oglio e del Serio", "financial", "BG",
     "Romano di Lombardia"),
    ("cr_brianza", "Cassa Rurale della Brianza", "financial", "MB", "Seregno"),
    ("bp_lario", "Banca Popolare del Lario", "financial", "CO", "Como"),
    ("b_padana", "Banca Agricola Padana", "financial", "MN", "Mantova"),
    ("mutua", "Mutua Assicuratrice Lombarda", "financial", "MI", "Milano"),
    ("studio_ing", "Studio Associato di Ingegneria Ferrario", "other", "MI", "Milano"),
    ("studio_legale", "Studio Legale Tributario Bonfanti", "other", "BG", "Bergamo"),
]  # fmt: skip
#: The committee sits at Milano-Bicocca, Pavia and Brescia: these never join a partnership at
#: random, so the two conflicts of interest (Brescia in the steel chain and in one chain under
#: evaluation) are deliberate.
BANKS = ("finlombarda", "confidi", "bcc_oglio", "cr_brianza", "bp_lario", "b_padana", "mutua")
#: Firms seated outside Lombardy (they do not count towards the call's minimum): family, province
#: and, optionally, their trade.
OUTSIDE_FIRMS = [("textile", "BI"), ("textile", "PO", "Rigenerati Tessili"), ("agrifood", "PC"), ("mechanics", "NO"),
                 ("mobility", "TO"), ("plastics", "BO"), ("construction", "VR"), ("metal", "NO"),
                 ("chemistry", "PC"), ("wood", "VR")]  # fmt: skip
#: Firms the demo accounts work for: (key, name, province, city, size).
NAMED_FIRMS = [
    ("duferco", "Duferco Travi e Profilati S.p.A.", "BS", "San Zeno Naviglio", "large"),
    ("tessitura", "Tessitura Serica Lariana S.p.A.", "CO", "Como", "medium"),
    ("calcestruzzi", "Calcestruzzi Valle del Chiese S.r.l.", "BS", "Odolo", "small"),
]


@dataclass(frozen=True)
class Chain:
    title: str
    family: str
    province: str
    area: str
    focus: str
    goal: str


CHAINS = [Chain(*row) for row in [
    ("Brass and Copper Alloys Value Chain of the Val Trompia", "metal", "BS", "sustainability",
     "brass rods, valves and fittings made from recycled copper alloys",
     "close the loop of brass swarf and lead-free alloys between foundries and machining shops"),
    ("Forging and Heat Treatment Value Chain of Lecco", "metal", "LC", "innovation",
     "open-die and closed-die forging with heat treatment",
     "digitalise forging and heat treatment with shared process data and predictive quality"),
    ("Wire, Springs and Fasteners Supply Chain of the Lario", "metal", "LC", "internationalisation",
     "wire drawing, springs and fasteners",
     "bring the district's wire and fastener makers together on foreign markets"),
    ("Cutlery and Household Goods Value Chain of Lumezzane", "metal", "BS", "internationalisation",
     "stainless-steel cutlery, pots and household goods",
     "relaunch the Lumezzane brand abroad with shared design and certified recycled steel"),
    ("Machine Tools and Industrial Automation Value Chain", "mechanics", "MI", "innovation",
     "machine tools, robots and automation systems",
     "bring predictive maintenance and digital twins to the machine builders and their suppliers"),
    ("Bergamo Precision Mechanics and Subcontracting Supply Chain", "mechanics", "BG", "credit",
     "precision machining and subcontracting for the automotive and energy sectors",
     "strengthen the capital of small subcontractors through supply-chain finance and minibonds"),
    ("Valves and Fluid Control Value Chain", "mechanics", "BS", "internationalisation",
     "industrial valves and fluid-control components",
     "open joint sales offices for valves and fluid-control systems in North America and the Gulf"),
    ("Agricultural Machinery Value Chain of the Po Valley", "mechanics", "MN", "innovation",
     "agricultural machinery and precision-farming equipment",
     "develop precision-farming attachments and shared telemetry for the Po Valley"),
    ("Robotics and Mechatronics Value Chain for Advanced Manufacturing", "mechanics", "MB",
     "human_capital", "robotic cells and mechatronic subsystems",
     "train 300 mechatronics technicians with the ITS and keep them in the district's firms"),
    ("Hydraulics and Power Transmission Supply Chain", "mechanics", "VA", "sustainability",
     "hydraulic pumps, gearboxes and power-transmission parts",
     "cut the energy use of hydraulic systems and remanufacture worn components"),
    ("Como Silk District Value Chain", "textile", "CO", "internationalisation",
     "silk weaving, printing and finishing",
     "defend the Como silk brand abroad with shared traceability from yarn to scarf"),
    ("Technical Textiles and Nonwovens Value Chain", "textile", "VA", "innovation",
     "technical textiles and nonwovens for medical, automotive and filtration uses",
     "develop recyclable nonwovens and smart textiles with the research bodies"),
    ("Hosiery and Seamless Knitwear Supply Chain of Castel Goffredo", "textile", "MN",
     "sustainability", "hosiery and seamless knitwear",
     "recover polyamide production waste and cut water use in dyeing"),
    ("Footwear Value Chain of Vigevano", "textile", "PV", "human_capital",
     "footwear and footwear machinery",
     "hand the craft of shoemaking to a new generation through a district academy"),
    ("Circular Denim and Garment Recycling Supply Chain", "textile", "BG", "sustainability",
     "denim finishing and post-consumer garment recycling",
     "turn post-consumer garments into new yarns in Lombardy"),
    ("Grana Padano and Provolone Valpadana Dairy Value Chain", "agrifood", "CR", "sustainability",
     "milk production and hard cheeses",
     "cut emissions per kilo of cheese and turn whey and manure into energy"),
    ("Lomellina Rice Value Chain", "agrifood", "PV", "internationalisation",
     "rice growing, milling and packaging",
     "bring Lombard risotto rice to new export markets with shared traceability"),
    ("Mantua Pork and Cured Meats Supply Chain", "agrifood", "MN", "sustainability",
     "pig farming and cured meats",
     "improve animal welfare and cut antibiotic use along the cured-meat chain"),
    ("Valtellina Mountain Agri-food Value Chain", "agrifood", "SO", "internationalisation",
     "apples, bresaola and Bitto cheese",
     "promote the Valtellina protected products together on foreign markets"),
    ("Franciacorta and Lombard Sparkling Wine Value Chain", "agrifood", "BS", "internationalisation",
     "sparkling wine, from vineyard to bottle",
     "grow exports while certifying the sustainability of the vineyards"),
    ("Oltrepò Pavese Wine Value Chain", "agrifood", "PV", "credit",
     "winemaking and bottling",
     "finance the renewal of cellars and vineyards through a shared guarantee fund"),
    ("Lodi Dairy and Animal Feed Supply Chain", "agrifood", "LO", "innovation",
     "milk, fodder and animal feed",
     "digitalise herd management and feed formulation with shared data"),
    ("Bakery and Confectionery Value Chain of Cremona", "agrifood", "CR", "human_capital",
     "bakery products, torrone and confectionery",
     "train bakers and food technologists with the vocational schools"),
    ("Fruit and Vegetables Short Chain of the Mantuan Plain", "agrifood", "MN", "sustainability",
     "melons, pears and vegetables",
     "shorten the chain and reduce food waste with shared cold storage"),
    ("Agri-food Logistics and Cold Chain Value Chain", "agrifood", "LO", "innovation",
     "cold-chain logistics for fresh food",
     "share refrigerated hubs and track temperatures from farm to shop"),
    ("Green Chemistry and Bio-based Products Value Chain", "chemistry", "MI", "sustainability",
     "bio-based chemicals from agricultural residues",
     "replace fossil intermediates with bio-based ones made from Lombard residues"),
    ("Pharmaceutical Active Ingredients Supply Chain", "chemistry", "PV", "innovation",
     "active pharmaceutical ingredients and intermediates",
     "bring strategic active ingredients back to Europe with continuous-flow processes"),
    ("Cosmetics Value Chain of Crema and Lodi", "chemistry", "CR", "internationalisation",
     "cosmetic formulation and contract manufacturing",
     "grow the cosmetics district's exports with shared regulatory services"),
    ("Paints, Coatings and Surface Treatments Value Chain", "chemistry", "MI", "sustainability",
     "paints, coatings and surface treatments",
     "switch to low-VOC water-based coatings and recover solvents"),
    ("Fine Chemicals Value Chain of Varese", "chemistry", "VA", "human_capital",
     "fine chemicals and intermediates",
     "attract and train chemists and process operators for the district"),
    ("Brianza Furniture and Design Value Chain", "wood", "MB", "internationalisation",
     "furniture and design",
     "bring the Brianza furniture makers to contract projects abroad together"),
    ("Circular Wood-Furniture Supply Chain", "wood", "CO", "sustainability",
     "furniture from recycled wood panels",
     "design furniture for disassembly and recover post-consumer wood"),
    ("Alpine Timber and Wooden Construction Value Chain", "wood", "SO", "sustainability",
     "timber from Alpine forests and wooden buildings",
     "turn local timber into certified structural elements for wooden buildings"),
    ("Contract Furnishing and Lighting Design Supply Chain", "wood", "MI", "credit",
     "contract furnishing and lighting",
     "give small suppliers working capital for large contract orders"),
    ("Lombardy Aerospace and Helicopter Supply Chain", "aerospace", "VA", "innovation",
     "helicopter and aircraft components",
     "qualify the small suppliers for new helicopter programmes with digital quality"),
    ("Space Economy Components Value Chain", "aerospace", "MI", "innovation",
     "satellite subsystems and space components",
     "build a Lombard supply chain for small satellites"),
    ("Aerostructures and Composites Value Chain", "aerospace", "BG", "human_capital",
     "composite aerostructures",
     "train composite technicians and certify the suppliers' special processes"),
    ("Plastics Recycling and Secondary Raw Materials Value Chain", "plastics", "VA",
     "sustainability", "collection, sorting and mechanical recycling of plastics",
     "double the recycled plastics used by the Lombard moulders"),
    ("Rubber and Technical Elastomers Supply Chain of the Sebino", "plastics", "BG",
     "sustainability", "rubber seals and technical elastomers",
     "devulcanise and reuse rubber scrap from the Sebino district"),
    ("Packaging and Bioplastics Value Chain", "plastics", "LO", "innovation",
     "food packaging and compostable bioplastics",
     "develop compostable and recyclable food packaging with the food industry"),
    ("Polymer Compounding and Additive Manufacturing Value Chain", "plastics", "CO", "innovation",
     "polymer compounds and 3D-printing materials",
     "develop high-performance polymers for additive manufacturing"),
    ("Biomedical Devices Value Chain", "biomedical", "MI", "innovation",
     "medical devices and disposables",
     "help small device makers through the EU Medical Device Regulation together"),
    ("Orthopaedic Implants and Prosthetics Supply Chain", "biomedical", "BG", "innovation",
     "orthopaedic implants and custom prosthetics",
     "produce patient-specific implants by additive manufacturing"),
    ("Diagnostics and Life-Science Instruments Value Chain", "biomedical", "MB",
     "internationalisation", "diagnostic kits and laboratory instruments",
     "enter foreign hospital tenders as a single Lombard offer"),
    ("Nutraceuticals and Food Supplements Value Chain", "biomedical", "PV", "human_capital",
     "nutraceuticals and food supplements",
     "train regulatory and quality specialists for the supplement makers"),
    ("E-mobility Components and Battery Value Chain", "mobility", "BS", "innovation",
     "electric drivetrains, batteries and components",
     "convert automotive suppliers to e-mobility components and battery recycling"),
    ("Cycling and Two-wheelers Value Chain", "mobility", "VA", "internationalisation",
     "bicycles, e-bikes and components",
     "bring Lombard bicycle components to Northern European markets"),
    ("Railway Rolling Stock Supply Chain", "mobility", "MI", "credit",
     "rolling-stock components and railway systems",
     "finance the growth of suppliers for the new regional trains"),
    ("Automotive Components Transition Supply Chain", "mobility", "BG", "human_capital",
     "automotive components for combustion engines",
     "retrain the workers of suppliers hit by the end of combustion engines"),
    ("Lake Boatbuilding Value Chain", "mobility", "BG", "internationalisation",
     "leisure boats built on the Lombard lakes",
     "present the lakes' boatyards together at international boat shows"),
    ("Hydrogen Valley Value Chain", "energy", "MN", "innovation",
     "green hydrogen production and industrial use",
     "build electrolysers and hydrogen uses for hard-to-abate industries"),
    ("Heat Pumps and Renewable Energy Communities Value Chain", "energy", "BG", "sustainability",
     "heat pumps, photovoltaics and energy communities",
     "create renewable energy communities among the district's firms"),
    ("Biomethane from Agricultural Residues Value Chain", "energy", "CR", "sustainability",
     "biogas and biomethane from manure and crop residues",
     "upgrade farm biogas plants to biomethane for transport"),
    ("Sustainable Construction and Building Renovation Value Chain", "construction", "MI",
     "sustainability", "building renovation and energy retrofit",
     "industrialise deep renovation with prefabricated façades"),
    ("Stone and Marble Value Chain of the Lombard Prealps", "construction", "BS",
     "internationalisation", "Botticino marble and natural stone",
     "promote Lombard stone abroad and reuse quarry waste"),
    ("Cement and Recycled Aggregates Supply Chain", "construction", "BG", "sustainability",
     "cement, concrete and recycled aggregates",
     "raise the share of recycled aggregates in concrete"),
    ("Doors, Windows and Façades Supply Chain", "construction", "LC", "credit",
     "doors, windows and curtain walls",
     "give small joiners access to credit for energy-efficient production lines"),
    ("Paper, Printing and Graphic Arts Value Chain", "paper", "MI", "human_capital",
     "paper, printing and publishing",
     "train digital printing technicians and keep the craft alive"),
    ("Corrugated Packaging Supply Chain", "paper", "CR", "credit",
     "corrugated board and paper packaging",
     "finance recovered-paper lines through a shared basket bond"),
    ("Industrial Software and Cybersecurity Value Chain", "digital", "MI", "innovation",
     "industrial software and cybersecurity",
     "secure the factories of the Lombard SMEs"),
    ("Microelectronics and Semiconductor Supply Chain", "digital", "MB", "innovation",
     "microelectronics, sensors and semiconductor equipment",
     "build a Lombard supply chain for sensors and power electronics"),
    ("Data and Cloud Services for Manufacturing Value Chain", "digital", "PV", "human_capital",
     "data and cloud services for manufacturers",
     "train data specialists for manufacturing SMEs"),
    ("Musical Instruments and Violin Making Value Chain of Cremona", "crafts", "CR",
     "internationalisation", "violins and musical instruments",
     "bring Cremona's violin makers to new markets and protect the craft"),
    ("Jewellery and Goldsmith Value Chain", "crafts", "MI", "credit",
     "jewellery and goldsmithing",
     "give artisan goldsmiths credit to buy certified recycled gold"),
    ("Leather Goods and Accessories Value Chain", "crafts", "VA", "sustainability",
     "leather goods and accessories",
     "use traceable low-impact tanned leather"),
]]  # fmt: skip

#: The two special cases, for the firms they need (their stories are told apart).
STEEL_CHAIN = Chain(STEEL_TITLE, "metal", "BS", "sustainability", "", "")
FASHION_CHAIN = Chain(FASHION_TITLE, "textile", "CO", "sustainability", "", "")
CORE[STEEL_TITLE] = ("Acciaierie", "Rottami e Metalli", "Fonderia", "Laminatoio")
CORE[FASHION_TITLE] = ("Tessitura", "Confezioni", "Tintoria", "Filatura", "Maglificio", "Stamperia")

STEEL_NOTE = {
    "challenges": (
        "Electric-arc furnace (EAF) steelmaking, concentrated in the Brescia area, produces "
        "hundreds of thousands of tonnes of slag a year. Black slag already finds uses as an "
        "aggregate, but white (ladle) slag from secondary metallurgy is still mostly landfilled: "
        "it is fine and dusty, its composition varies from heat to heat and it lacks end-of-waste "
        "criteria. Landfill costs rise and the steel mills' decarbonisation plans need a circular "
        "outlet."
    ),
    "needs": (
        "A shared characterisation of white slag across the steel mills; stable treatment "
        "processes (stabilisation, grinding, carbonation); technical standards and end-of-waste "
        "authorisations; demand from the cement, concrete, road-construction and ceramics "
        "sectors; skills in circular-economy design and life-cycle assessment."
    ),
    "objectives": (
        "Reuse white slag from electric-arc furnaces as a secondary raw material in binders, "
        "cement, soil stabilisation and ceramic mixes; cut landfilled slag by at least 50% within "
        "three years, together with the use of virgin raw materials and CO2 along the chain; "
        "build a model that the other Lombard steel districts can replicate."
    ),
    "actions": (
        "The proposal grew within AFIL's Circular Economy strategic community (De- and "
        "Remanufacturing), which brought together the steel mills, the user industries and the "
        "research bodies and supported the submission. Actions: a common sampling and "
        "characterisation protocol; pilot treatment at two steel mills; application tests with "
        "cement, concrete and road-construction firms; a dossier for the end-of-waste "
        "authorisation; LCA of the new products; training with the ITS; dissemination through "
        "AFIL and the associations."
    ),
    "investments": (
        "Pilot stabilisation and grinding line (EUR 2.4 million), laboratory equipment and "
        "sensors (EUR 0.6 million), application trials and certifications (EUR 0.8 million), "
        "training and dissemination (EUR 0.2 million): about EUR 4 million over 2023-2025."
    ),
}
FASHION_NOTE = {
    "challenges": (
        "The Lombard fashion and textile chain, from the silk of Como to the cotton of the "
        "Varese area and the knitwear of Bergamo and Mantua, must meet the EU strategy for "
        "sustainable and circular textiles: eco-design, extended producer responsibility and the "
        "digital product passport. Its small firms lack shared data and recycling capacity."
    ),
    "needs": (
        "Traceability from fibre to garment; recycling of pre- and post-consumer textiles; lower "
        "water and energy use in dyeing and finishing; designers and technicians trained in "
        "circular design."
    ),
    "objectives": (
        "Build a Lombard circular fashion chain: a shared digital product passport, 30% of "
        "production offcuts recycled into new yarns within three years, and a common "
        "sustainability report of the partners."
    ),
    "actions": (
        "A traceability platform shared by the partners; pilot recycling of offcuts with a "
        "Prato recycler; eco-design workshops with the Politecnico; a training path with the ITS; "
        "a joint circular collection for Milano Fashion Week. The tenth Lombard firm required by "
        "the call is still to join the partnership."
    ),
    "investments": (
        "Traceability software, recycling trials, dye-house audits and training: about EUR 2.6 "
        "million over three years."
    ),
}

INTEGRATION_REQUESTS = [
    "Please upload the project agreement with the signatures of all partners: three are missing.",
    "Please detail the planned investments per partner and per year.",
    "Please clarify the role and commitments of the research partners.",
    "Please state which firms have their operating seat in Lombardy and attach the chamber of "
    "commerce certificates.",
]
RESUBMISSIONS = [
    "Integration uploaded: signed agreement and the requested documents.",
    "Integration uploaded: investments detailed per partner and year.",
    "Integration uploaded as requested.",
]
FAVOURABLE = [
    "Coherent partnership, well representative of the chain; clear and measurable objectives.",
    "Solid concept note; the actions match the needs that emerged. Good territorial coverage.",
    "Relevant challenges and a credible plan; research partners well integrated.",
    "Convincing partnership; the investments are realistic and the sustainability goals clear.",
]
UNFAVOURABLE = [
    "The concept note is generic: objectives are not measurable and actions not tied to needs.",
    "Weak partnership: the firms' roles are unclear and the research partners marginal.",
    "The planned investments are not justified and the sustainability impact is not shown.",
]


# --- the builder ---------------------------------------------------------------------------------


def _utc(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


class _Builder:
    """Builds the demo world through the real operations; flushes, never commits."""

    def __init__(self) -> None:
        from tracker.auth.models import User

        self.rng = random.Random(SEED)
        # scrypt is slow on purpose: hash once, reuse for every demo account.
        probe = User(email="x@x.org", name="x")
        probe.set_password(DEMO_PASSWORD)
        self.password_hash = probe.password_hash
        self.vats: set[str] = set()
        self.names: set[str] = set()
        self.emails: set[str] = set()
        self.orgs: dict[str, Any] = {}  # key -> Organisation (others and named firms)
        self.pools: dict[str, list] = {}  # family -> Lombard firms
        self.prefix_of: dict[int, str] = {}  # firm id -> its trade (the prefix of its name)
        self.outside: dict[str, list] = {}  # family -> firms seated outside Lombardy
        self.generic: list = []
        self.users: dict[str, Any] = {}
        self.staff: list = []
        self.apps: list = []
        self.lead_ids: set[int] = set()
        self.drafts = 0
        self.inadmissible = 0
        self.rejections = [1, 3, 5]  # decrees that also listed the value chains not recognised

    # organisations ------------------------------------------------------------------------------
    def vat(self, province: str) -> str:
        from tracker.organisations.vat import vat_check_digit

        while True:
            body = f"{self.rng.randrange(100_000, 4_000_000):07d}{VAT_OFFICE[province]}"
            vat = body + str(vat_check_digit(body))
            if vat not in self.vats:
                self.vats.add(vat)
                return vat

    def organisation(self, name, kind, province, city=None, size=None, lombardy_seat=None):
        from tracker.organisations.operations import create_organisation

        self.names.add(name)
        return create_organisation(
            name=name, vat_number=self.vat(province), kind=kind, size=size, province=province,
            city=city or self.rng.choice(CITIES[province]), lombardy_seat=lombardy_seat,
        )  # fmt: skip

    def firm(self, prefixes, province, size=None, role=None, lombardy_seat=None):
        """A new invented firm named after its trade: 'Fonderia Bonetti S.r.l.'."""
        rng = self.rng
        for _ in range(200):
            prefix, surname = rng.choice(prefixes), rng.choice(SURNAMES)
            pattern = rng.random()
            if pattern < 0.6:
                stem = f"{prefix} {surname}"
            elif pattern < 0.85:
                stem = f"{prefix} F.lli {surname}"
            else:
                stem = f"{prefix} {rng.choice(CITIES[province])}"
            size = size or self.size()
            legal = {"micro": ("S.n.c.", "S.a.s.", "S.r.l."), "small": ("S.r.l.", "S.r.l.", "S.n.c."),
                     "medium": ("S.r.l.", "S.p.A."), "large": ("S.p.A.",)}[size]  # fmt: skip
            if prefix in ("Cooperativa Agricola", "Latteria Sociale"):
                legal = ("Soc. Coop. Agricola",)
            elif prefix in ("Azienda Agricola", "Cantina", "Allevamenti", "Frutticoltura"):
                legal = ("S.s. Agricola", "Società Agricola S.r.l.")
            name = f"{stem} {rng.choice(legal)}"
            if name not in self.names:
                break
        else:  # pragma: no cover
            raise RuntimeError("no free firm name")
        org = self.organisation(name, "firm", province, size=size, lombardy_seat=lombardy_seat)
        self.prefix_of[org.id] = prefix
        return org

    def size(self) -> str:
        return self.rng.choices(("micro", "small", "medium", "large"), (25, 40, 25, 10))[0]

    def build_organisations(self, chains_by_family: dict[str, list[Chain]]) -> None:
        rng = self.rng
        for key, name, kind, province, city in OTHERS:
            self.orgs[key] = self.organisation(name, kind, province, city)
        for key, name, province, city, size in NAMED_FIRMS:
            self.orgs[key] = self.organisation(name, "firm", province, city, size)
        self.prefix_of[self.orgs["tessitura"].id] = "Seterie"
        for family_key, family in FAMILIES.items():
            chains = chains_by_family.get(family_key, [])
            pool = []
            weights = {p: 1 for p in family.provinces}
            for chain in chains:  # the firms at the heart of each chain, mostly around its lead
                weights[chain.province] = weights.get(chain.province, 0) + 3
                core = CORE[chain.title]
                for i in range(7):
                    province = (
                        chain.province if rng.random() < 0.65 else rng.choice(family.provinces)
                    )
                    pool.append(self.firm((core[i % len(core)],), province))
            provinces, w = list(weights), list(weights.values())
            for _ in range(max(14, 3 * len(chains))):  # their suppliers
                pool.append(self.firm(tuple(family.firms), rng.choices(provinces, w)[0]))
            self.pools[family_key] = pool
        lombard = sorted(_lombardy())
        for _ in range(30):
            self.generic.append(self.firm(tuple(GENERIC), rng.choice(lombard)))
        for family_key, province, *prefix in OUTSIDE_FIRMS:
            trades = tuple(prefix or FAMILIES[family_key].firms)
            org = self.firm(trades, province, lombardy_seat=False)
            self.outside.setdefault(family_key, []).append(org)

    def role_of(self, org, family: str | None = None) -> str:
        prefix = self.prefix_of.get(org.id)
        if prefix in GENERIC:
            return GENERIC[prefix]
        role = FAMILIES[family].firms.get(prefix) if family else None
        if role is None:
            role = next(f.firms[prefix] for f in FAMILIES.values() if prefix in f.firms)
        return role if org.lombardy_seat else f"{role} (seat outside Lombardy)"

    # users --------------------------------------------------------------------------------------
    def user(self, email, roles, name, organisation=None, *, password=True, created=None):
        from tracker.auth.operations import create_user

        user = create_user(email, roles, name=name, organisation=organisation)
        if password:
            user.password_hash = self.password_hash
        user.created_at = created or _utc(dt.date(2022, 2, 21))
        self.emails.add(user.email)
        return user

    def build_users(self) -> None:
        o = self.orgs
        self.users["officer"] = self.user(
            "officer@demo.example.org", ["officer"], "Elena Marchesi", o["region"]
        )
        for i, (org, name) in enumerate(
            [
                ("unimib", "Alberto Rinaldi"),
                ("unipv", "Silvia Cattaneo"),
                ("unibs", "Davide Lanzoni"),
            ],
            start=1,
        ):
            self.users[f"r{i}"] = self.user(
                f"reviewer{i}@demo.example.org", ["reviewer"], name, o[org]
            )
        self.users["lead"] = self.user(
            "lead@demo.example.org", ["applicant"], "Chiara Galimberti", o["tessitura"]
        )
        self.users["steel"] = self.user(
            "steel@demo.example.org", ["applicant"], "Andrea Bonomi", o["duferco"]
        )
        self.users["partner"] = self.user(
            "partner@demo.example.org", ["applicant"], "Matteo Gussago", o["calcestruzzi"]
        )
        self.users["coordinator"] = self.user(
            "coordinator@demo.example.org", ["coordinator"], "Francesca Origgi", o["afil"]
        )
        self.users["board"] = self.user(
            "board@demo.example.org", ["board"], "Roberto Fossati", o["afil"]
        )
        self.users["admin"] = self.user("admin@demo.example.org", ["admin"], "Demo administrator")

    def staff_user(self, org, created: dt.datetime):
        """An invented lead-partner employee: drives the application, cannot log in."""
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(SURNAMES)
        local = f"{first}.{last}".lower()
        email, n = f"{local}@staff.demo.example.org", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@staff.demo.example.org"
        user = self.user(
            email, ["applicant"], f"{first} {last}", org, password=False, created=created
        )
        self.staff.append(user)
        return user

    # the call -----------------------------------------------------------------------------------
    def build_call(self):
        from tracker.calls.operations import appoint_member, create_call, extend_deadline

        officer = self.users["officer"]
        call = create_call(
            officer,
            {
                "title": CALL_TITLE,
                "workflow": "value_chain",
                "description": (
                    "Value-chain Expression of Interest of Regione Lombardia, run with Unioncamere "
                    "Lombardia. Partnerships of at least ten firms with a seat in Lombardy, with "
                    "universities, research and training bodies, associations and banks, submit a "
                    "concept note (challenges, needs, objectives, actions, investments) under one "
                    "or more thematic areas. Recognised value chains receive a quality label by "
                    "decree and bonus points in the support measures that follow (phase 2). "
                    "Rolling submissions."
                ),
                "act_reference": "DGR 5899/2022; decree 2338 of 24/02/2022",
                "opens_at": CALL_OPENS.isoformat(),
                "deadline": ORIGINAL_DEADLINE.isoformat(),
                "min_firms": 10,
                "min_reviews": 2,
                "score_threshold": THRESHOLD,
                "criteria": CRITERIA,
            },
        )
        call.created_at = _utc(dt.date(2022, 2, 24), 15)
        for key in ("r1", "r2", "r3"):
            member = appoint_member(officer, call, self.users[key].id)
            member.appointed_at = _utc(dt.date(2022, 3, 10), 11)
            self.users[key].__dict__.pop("committee_call_ids", None)
        for new_deadline, decided, reason in EXTENSIONS:
            extension = extend_deadline(officer, call, new_deadline, reason)
            extension.extended_at = _utc(decided, 14)
        return call

    # partnerships -------------------------------------------------------------------------------
    def pick(self, pool, count, province, exclude, core=()) -> list:
        """``count`` firms of ``pool``: two thirds of the chain's core trades, mostly local."""
        rng = self.rng
        chosen: list = []
        for candidates, n in (
            ([o for o in pool if self.prefix_of.get(o.id) in core], round(count * 0.65)),
            (list(pool), count),
        ):
            candidates = [o for o in candidates if o.id not in exclude and o not in chosen]
            local = [o for o in candidates if o.province == province]
            rest = [o for o in candidates if o.province != province]
            rng.shuffle(local)
            rng.shuffle(rest)
            want = min(n, count - len(chosen))
            n_local = min(len(local), round(want * 0.6))
            chosen += (local[:n_local] + rest)[:want] if n_local < want else local[:want]
        return chosen[:count]

    def partnership(self, chain: Chain, lead, size: int) -> list[tuple]:
        """(organisation, role, commitments) of the partners besides the lead."""
        rng, family = self.rng, FAMILIES[chain.family]
        others_keys = rng.sample(family.others, k=min(len(family.others), rng.randint(2, 4)))
        if rng.random() < 0.35:
            others_keys.append(rng.choice(BANKS))
        others = [self.orgs[k] for k in dict.fromkeys(others_keys)]
        outside = [o for o in self.outside.get(chain.family, []) if rng.random() < 0.5]
        generic = rng.sample(self.generic, k=rng.randint(0, 2))
        n_firms = max(11, size - len(others) - len(outside))
        firms = self.pick(self.pools[chain.family], n_firms - 1 - len(generic), chain.province,
                          {lead.id}, CORE[chain.title])  # fmt: skip
        out = [
            (org, self.role_of(org, chain.family), rng.choice(_FIRM_COMMITMENTS))
            for org in [*firms, *generic, *outside]
        ]
        for org in others:
            role, commitments = _OTHER_ROLES[org.kind]
            out.append((org, role, commitments))
        return out

    def choose_lead(self, chain: Chain):
        """A firm of the chain's first core trade, in its province, as large as there is."""
        rank = {"large": 0, "medium": 1, "small": 2, "micro": 3}
        pool = [
            o
            for o in self.pools[chain.family]
            if o.id not in self.lead_ids
            and o.province == chain.province
            and self.prefix_of[o.id] == CORE[chain.title][0]
        ]
        if pool:
            lead = min(pool, key=lambda o: (rank[o.size], o.id))
        else:
            lead = self.firm(
                CORE[chain.title][:1], chain.province, self.rng.choice(("medium", "large"))
            )
        self.lead_ids.add(lead.id)
        return lead

    def note(self, chain: Chain, nf: int) -> dict[str, str]:
        family = FAMILIES[chain.family]
        values = {
            "focus": chain.focus,
            "goal": chain.goal,
            "place": _province_name(chain.province),
            "nf": nf,
            "amount": f"{self.rng.randint(12, 60) / 10:.1f}",
        }
        return {
            key: getattr(family, key).format(**values)
            for key in ("challenges", "needs", "objectives", "actions", "investments")
        }

    # one application ----------------------------------------------------------------------------
    def application(self, call, lead_user, title, area, note, partners, created: dt.datetime,
                    lead_role: str):  # fmt: skip
        from tracker.applications.operations import add_partner, create_application

        fields = {
            "title": title,
            "thematic_area": area,
            "concept_note": note,
            "lead_role": lead_role,
        }
        app = create_application(lead_user, call, fields, at=created)
        step = dt.timedelta(hours=max(1, 24 * 12 // max(1, len(partners))))
        for i, (org, role, commitments) in enumerate(partners, start=1):
            partner = add_partner(lead_user, app, org.id, role, commitments)
            partner.added_at = created + step * i
        self.apps.append(app)
        return app

    def backdate_organisations(self) -> None:
        """An organisation was registered shortly before its first partnership."""
        from sqlalchemy import select

        from tracker.extensions import db
        from tracker.organisations.models import Organisation

        first: dict[int, dt.datetime] = {}
        for app in self.apps:
            for partner in app.partners:
                if partner.added_at < first.get(
                    partner.organisation_id, partner.added_at + dt.timedelta(1)
                ):
                    first[partner.organisation_id] = partner.added_at
        for org in db.session.scalars(select(Organisation)):
            when = first.get(org.id)
            if when is None:  # not (yet) in a partnership
                when = _utc(CALL_OPENS) + dt.timedelta(days=self.rng.randint(0, 1200))
            org.created_at = when - dt.timedelta(days=self.rng.randint(1, 20), hours=3)

    def restart(self, app, lead_user, created: dt.datetime) -> None:
        """Move a just-created application (its partners, its lead's account) to ``created``."""
        shift = created - app.created_at
        app.created_at = created
        app.state_entered_at = created
        lead_user.created_at = created - dt.timedelta(days=2)
        for partner in app.partners:
            partner.added_at = partner.added_at + shift

    def run(self, app, actors: dict, events: list[tuple]) -> None:
        """Replay ``events`` (time, what, ...) on ``app``, in order."""
        from tracker.applications.operations import fire_transition, record_agreement
        from tracker.reviews.operations import submit_review

        last = app.created_at
        for event in events:
            at, what = event[0], event[1]
            if at <= last:  # keep every application's story strictly ordered
                at = last + dt.timedelta(minutes=self.rng.randint(30, 240))
            last = at
            if what == "sign":
                record_agreement(actors["lead"], app, True)
                app.agreement_signed_at = at
            elif what == "review":
                reviewer, total = event[2], event[3]
                scores = self.scores(app.call, total)
                recommendation = "favourable" if total >= THRESHOLD else "unfavourable"
                comment = self.rng.choice(FAVOURABLE if total >= THRESHOLD else UNFAVOURABLE)
                review = submit_review(reviewer, app, scores, recommendation, comment)
                review.submitted_at = at
            else:
                actor, comment, data = event[2], event[3], event[4] if len(event) > 4 else None
                fire_transition(actor, app, what, comment=comment, data=data, at=at)
        app.updated_at = last

    def scores(self, call, total: int) -> dict[str, int]:
        """Criterion scores summing exactly to ``total``, each near its share of the maximum."""
        criteria = call.criteria
        out = {}
        for c in criteria:
            share = c.max_score * total / 100 + self.rng.uniform(-2, 2)
            out[c.key] = max(0, min(c.max_score, round(share)))
        diff = total - sum(out.values())
        while diff:
            c = self.rng.choice(criteria)
            step = 1 if diff > 0 else -1
            if 0 <= out[c.key] + step <= c.max_score:
                out[c.key] += step
                diff -= step
        return out


_FIRM_COMMITMENTS = [
    "Shares production data and hosts pilot trials in its plant.",
    "Takes part in the technical table and co-designs the shared actions.",
    "Tests the new materials and processes and reports the results to the partnership.",
    "Provides by-products and data for the characterisation campaign.",
    "Trains its staff in the courses of the project and hosts apprentices.",
    "Joins the shared traceability platform and the common indicators.",
    "Takes part in joint promotion and in the missions abroad.",
]
_OTHER_ROLES = {
    "university": (
        "Research partner",
        "Applied research, characterisation, LCA and technology transfer to the firms.",
    ),
    "research_centre": (
        "Research and technology organisation",
        "Pilot testing, laboratory services and technical assistance.",
    ),
    "training_body": (
        "Training partner",
        "Courses for technicians and operators; internships in the partner firms.",
    ),
    "association": (
        "Association: involvement and dissemination",
        "Involves member firms, disseminates results and coordinates the technical tables.",
    ),
    "financial": (
        "Financial partner",
        "Supply-chain finance, credit lines and guarantees for the partners' investments.",
    ),
    "other": ("Professional services", "Technical, legal and administrative support."),
}


def _lombardy() -> dict[str, str]:
    from tracker.reference import LOMBARDY_PROVINCES

    return LOMBARDY_PROVINCES


def _province_name(code: str) -> str:
    return _lombardy().get(code, code)


# --- the stories -------------------------------------------------------------------------------


class _Story:
    """Times and steps of one application, planned backwards from a decision or forwards."""

    def __init__(self, builder: _Builder, app, call, lead_user) -> None:
        self.b, self.app, self.call, self.lead = builder, app, call, lead_user
        self.committee = [builder.users[k] for k in ("r1", "r2", "r3")]
        self.officer = builder.users["officer"]

    def free_reviewers(self) -> list:
        return [r for r in self.committee if not self.app.has_conflict(r)]

    def moment(self, day: dt.date) -> dt.datetime:
        rng = self.b.rng
        return _utc(day, rng.randint(7, 15), rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))

    def evaluation(self, start: dt.date, *, integration=False, reviews=2, totals=(64, 92),
                   close=True, admit=True):  # fmt: skip
        """sign, submit, (integration), admit, reviews, close: (events, next free day)."""
        rng, ev, day = self.b.rng, [], start
        day += dt.timedelta(days=rng.randint(15, 45))
        ev.append((self.moment(day), "sign"))
        day += dt.timedelta(days=rng.randint(1, 5))
        ev.append((self.moment(day), "submit", self.lead, ""))
        if integration:
            day += dt.timedelta(days=rng.randint(8, 20))
            ev.append((self.moment(day), "request_integration", self.committee_actor(),
                       rng.choice(INTEGRATION_REQUESTS)))  # fmt: skip
            day += dt.timedelta(days=rng.randint(10, 25))
            ev.append((self.moment(day), "resubmit", self.lead, rng.choice(RESUBMISSIONS)))
        if not admit:
            return ev, day
        day += dt.timedelta(days=rng.randint(6, 18))
        ev.append((self.moment(day), "admit", self.committee_actor(), "Admissible: documents complete."))  # fmt: skip
        free = self.free_reviewers()
        rng.shuffle(free)
        for reviewer in free[:reviews]:
            day += dt.timedelta(days=rng.randint(4, 12))
            ev.append((self.moment(day), "review", reviewer, rng.randint(*totals)))
        if close:
            day += dt.timedelta(days=rng.randint(3, 10))
            ev.append((self.moment(day), "close_evaluation", self.committee[0]
                       if not self.app.has_conflict(self.committee[0]) else self.officer,
                       "Evaluation closed in the committee's session."))  # fmt: skip
        return ev, day

    def committee_actor(self):
        free = self.free_reviewers()
        return self.b.rng.choice([*free, self.officer])


def _backwards(events: list[tuple], decided: dt.datetime, created: dt.datetime, days: int):
    """Shift (and, before the call opened, compress) ``events`` to end ``days`` before ``decided``."""
    end = events[-1][0]
    gap = dt.timedelta(days=days)
    shift = (decided - gap) - end
    created, events = created + shift, [(e[0] + shift, *e[1:]) for e in events]
    floor = _utc(CALL_OPENS + dt.timedelta(days=1), 9)
    if created < floor:
        span, room = (decided - gap) - created, (decided - gap) - floor
        factor = room / span

        def squeeze(t: dt.datetime) -> dt.datetime:
            return floor + (t - created) * factor

        created, events = floor, [(squeeze(e[0]), *e[1:]) for e in events]
    return created, events


def build():
    """The value-chain EOI world: organisations, the demo users, the call and its value chains.

    Returns the builder (what later parts of the demo build on) and a summary line."""
    from sqlalchemy import func, select

    from tracker.applications.models import Application
    from tracker.auth.models import User
    from tracker.extensions import db
    from tracker.labels.models import QualityLabel
    from tracker.organisations.models import Organisation
    from tracker.reviews.models import Review

    b = _Builder()
    by_family: dict[str, list[Chain]] = {}
    for chain in [STEEL_CHAIN, FASHION_CHAIN, *CHAINS]:
        by_family.setdefault(chain.family, []).append(chain)
    b.build_organisations(by_family)
    b.build_users()
    call = b.build_call()
    _build_applications(b, call)

    b.backdate_organisations()
    b.call = call

    counts = dict(
        db.session.execute(
            select(Application.state, func.count()).group_by(Application.state)
        ).all()
    )
    states = [s.name for s in call.workflow_definition.states]
    # the states reached so far: the support measures (tracker.demo.measures) add the rest
    per_state = ", ".join(f"{s} {counts[s]}" for s in states if counts.get(s))
    n = {
        "orgs": db.session.scalar(select(func.count(Organisation.id))),
        "users": db.session.scalar(select(func.count(User.id))),
        "labels": db.session.scalar(select(func.count(QualityLabel.id))),
        "reviews": db.session.scalar(select(func.count(Review.id))),
    }
    return b, (
        f"Demo data loaded: 1 call (deadline {call.deadline:%d/%m/%Y} after "
        f"{len(EXTENSIONS)} extensions), {n['orgs']} organisations, {n['users']} users, "
        f"{sum(counts.values())} value chains ({per_state}), {n['labels']} quality labels, "
        f"{n['reviews']} reviews."
    )


def _build_applications(b: _Builder, call) -> None:
    rng = b.rng
    chains = list(CHAINS)
    forced = {
        "Como Silk District Value Chain": ("label", 2),
        "E-mobility Components and Battery Value Chain": ("under_evaluation_conflict", None),
    }
    free = [c for c in chains if c.title not in forced]
    rng.shuffle(free)
    plan: list[tuple[Chain, str, int | None]] = []
    outcomes = (
        ["draft"] * 3 + ["submitted", "submitted_again", "integration_requested",
                         "integration_during_evaluation", "under_evaluation", "under_evaluation_one",
                         "evaluated_high", "evaluated_low", "inadmissible", "inadmissible",
                         "not_recognised", "not_recognised", "not_recognised", "withdrawn_draft",
                         "withdrawn_submitted", "withdrawn_evaluation"]
    )  # fmt: skip
    for chain, outcome in zip(free, outcomes, strict=False):
        plan.append((chain, outcome, None))
    labelled = free[len(outcomes) :]
    # batches: the steel chain and Como silk hold places in decrees 2 and 3
    slots = [i for i, (_, _, count) in enumerate(LABEL_DECREES) for _ in range(count)]
    slots.remove(1)  # steel
    slots.remove(2)  # Como silk
    for chain, batch in zip(labelled, slots, strict=True):
        plan.append((chain, "label", batch))
    for title, (outcome, batch) in forced.items():
        plan.append((next(c for c in chains if c.title == title), outcome, batch))

    # one early label is revoked; support and its completion come from the support measures'
    # grants (tracker.demo.measures)
    early = [i for i, (c, o, batch) in enumerate(plan) if o == "label" and batch in (0, 1)]
    extras = {early[3]: "revoked"}

    _steel(b, call)
    _fashion(b, call)
    for i, (chain, outcome, batch) in enumerate(plan):
        _chain(b, call, chain, outcome, batch, extras.get(i))


def _steel(b: _Builder, call) -> None:
    """The real case: 43 organisations around Duferco, recognised in the second decree."""
    rng, o = b.rng, b.orgs
    steel_roles = {
        "Acciaierie": "Steel mill (electric-arc furnace): white slag producer",
        "Rottami e Metalli": "Scrap preparation and by-product logistics",
        "Fonderia": "Foundry: slag and sand recovery",
        "Laminatoio": "Rolling mill: mill scale recovery",
    }
    user_roles = {
        "Cementi": "Cement and binders: user of white slag",
        "Calcestruzzi": "Ready-mixed concrete: user of white slag",
        "Impresa Stradale": "Road construction: slag in soil stabilisation",
        "Laterizi": "Bricks and ceramics: slag in mixes",
        "Inerti": "Aggregates: slag treatment and grading",
    }
    partners = [(o["calcestruzzi"], user_roles["Calcestruzzi"],
                 "Tests white-slag binders in its concrete mixes and shares the results.")]  # fmt: skip
    metal = b.pick(b.pools["metal"], 19, "BS", set(), tuple(steel_roles))
    construction = b.pick(b.pools["construction"], 10, "BS", set(), tuple(user_roles))
    for org in metal:
        role = steel_roles.get(b.prefix_of[org.id]) or b.role_of(org, "metal")
        partners.append((org, role, rng.choice(_FIRM_COMMITMENTS)))
    for org in construction:
        role = user_roles.get(b.prefix_of[org.id]) or b.role_of(org, "construction")
        partners.append((org, role, rng.choice(_FIRM_COMMITMENTS)))
    for org in rng.sample(b.generic, 4):
        partners.append((org, b.role_of(org), rng.choice(_FIRM_COMMITMENTS)))
    for key in (
        "unibs",
        "polimi",
        "csmt",
        "stiima",
        "afil",
        "conf_bs",
        "federacciai",
        "its_lonati",
    ):
        role, commitments = _OTHER_ROLES[o[key].kind]
        if key == "afil":
            role = "AFIL Circular Economy community: animation and dissemination"
        partners.append((o[key], role, commitments))
    created = _utc(dt.date(2022, 5, 9), 10)
    app = b.application(
        call, b.users["steel"], STEEL_TITLE, "sustainability", STEEL_NOTE, partners, created,
        "Lead partner (capofila): EAF steelmaking, white slag producer, coordination",
    )  # fmt: skip
    r1, r2, officer = b.users["r1"], b.users["r2"], b.users["officer"]
    number, decree_day, _ = LABEL_DECREES[1]
    day = dt.date
    events = [
        (_utc(day(2022, 6, 20), 10), "sign"),
        (_utc(day(2022, 6, 27), 11, 30), "submit", b.users["steel"], ""),
        (_utc(day(2022, 7, 8), 9), "admit", r1, "Admissible: documents complete."),
        (_utc(day(2022, 8, 29), 15), "review", r1, 88),
        (_utc(day(2022, 9, 12), 10), "review", r2, 84),
        (_utc(day(2022, 10, 18), 11), "close_evaluation", r1,
         "Evaluation closed in the committee's session. The committee member from the University "
         "of Brescia, a partner, took no part: conflict of interest."),
        (_utc(decree_day, 12), "grant_label", officer,
         f"Recognised by decree n. {number} of {decree_day:%d/%m/%Y}.",
         {"decree_number": number, "decree_date": decree_day.isoformat()}),
    ]  # fmt: skip
    b.run(app, {"lead": b.users["steel"]}, events)


def _fashion(b: _Builder, call) -> None:
    """A draft one Lombard firm short of the call's ten: its submission is refused."""
    rng, o = b.rng, b.orgs
    firms = b.pick(b.pools["textile"], 8, "CO", set(), CORE[FASHION_TITLE])
    partners = [(org, b.role_of(org, "textile"), rng.choice(_FIRM_COMMITMENTS)) for org in firms]
    recycler = b.outside["textile"][1]
    partners.append((recycler, b.role_of(recycler, "textile"),
                     "Recycles the partners' offcuts into regenerated yarns."))  # fmt: skip
    for key in ("polimi", "its_moda", "serico", "smi"):
        role, commitments = _OTHER_ROLES[o[key].kind]
        partners.append((o[key], role, commitments))
    created = _utc(dt.date(2025, 9, 16), 9)
    app = b.application(
        call, b.users["lead"], FASHION_TITLE, "sustainability", FASHION_NOTE, partners, created,
        "Lead partner (capofila): silk weaving, coordination",
    )  # fmt: skip
    b.run(app, {"lead": b.users["lead"]}, [(_utc(dt.date(2025, 10, 27), 16), "sign")])


def _chain(b: _Builder, call, chain: Chain, outcome: str, batch: int | None, extra) -> None:
    rng = b.rng
    lead = b.choose_lead(chain)
    size = rng.randint(12, 30) if outcome == "label" else rng.randint(10, 24)
    partners = b.partnership(chain, lead, size)
    if chain.title == "Como Silk District Value Chain":
        partners.insert(0, (b.orgs["tessitura"], "Weaving", rng.choice(_FIRM_COMMITMENTS)))
    if outcome == "under_evaluation_conflict":
        role, commitments = _OTHER_ROLES["university"]
        partners.append((b.orgs["unibs"], role, commitments))
    draft_kind = None
    if outcome == "draft":  # three drafts: short of firms, concept note unfinished, ready
        draft_kind = ("few_firms", "unfinished", "ready")[b.drafts]
        b.drafts += 1
    if draft_kind == "few_firms":
        firms = [p for p in partners if p[0].kind == "firm"]
        partners = [p for p in partners if p[0].kind != "firm"] + firms[:5]
    nf = 1 + sum(1 for org, *_ in partners if org.kind == "firm" and org.lombardy_seat)
    note = b.note(chain, nf)
    if draft_kind == "unfinished":
        note = {**note, "investments": ""}
    when = _start(rng, outcome)
    lead_user = b.staff_user(lead, when - dt.timedelta(days=2))
    app = b.application(call, lead_user, chain.title, chain.area, note, partners, when,
                        "Lead partner (capofila): coordination")  # fmt: skip
    story = _Story(b, app, call, lead_user)
    officer = b.users["officer"]
    start = when.date()
    ev: list[tuple] = []
    if draft_kind == "ready":
        ev = [(story.moment(start + dt.timedelta(days=20)), "sign")]
    elif outcome == "label":
        number, decree_day, _ = LABEL_DECREES[batch]
        ev, _ = story.evaluation(
            start, integration=rng.random() < 0.25, reviews=rng.choice((2, 3, 3))
        )
        granted = story.moment(decree_day + dt.timedelta(days=rng.randint(0, 2)))
        created, ev = _backwards(ev, granted, when, rng.randint(8, 30))
        b.restart(app, lead_user, created)
        ev.append((granted, "grant_label", officer,
                   f"Recognised by decree n. {number} of {decree_day:%d/%m/%Y}.",
                   {"decree_number": number, "decree_date": decree_day.isoformat()}))  # fmt: skip
        ev += _phase_two(story, extra)
    elif outcome == "not_recognised":
        number, decree_day, _ = LABEL_DECREES[b.rejections.pop(0)]
        ev, _ = story.evaluation(start, reviews=rng.choice((2, 3)), totals=(38, 57))
        decided = story.moment(decree_day + dt.timedelta(days=rng.randint(0, 2)))
        created, ev = _backwards(ev, decided, when, rng.randint(8, 30))
        b.restart(app, lead_user, created)
        ev.append((decided, "reject", officer,
                   f"Not recognised (decree n. {number} of {decree_day:%d/%m/%Y}): the average "
                   f"score is below the threshold of {THRESHOLD}. {rng.choice(UNFAVOURABLE)}"))  # fmt: skip
    elif outcome in ("evaluated_high", "evaluated_low"):
        totals = (66, 84) if outcome == "evaluated_high" else (44, 57)
        ev, _ = story.evaluation(start, reviews=2, totals=totals)
    elif outcome == "under_evaluation":
        ev, _ = story.evaluation(start, reviews=0, close=False)
    elif outcome == "under_evaluation_one":
        ev, _ = story.evaluation(start, reviews=1, close=False, totals=(58, 82))
    elif outcome == "under_evaluation_conflict":
        ev, day = story.evaluation(start, reviews=0, close=False)
        ev.append((story.moment(day + dt.timedelta(days=9)), "review", b.users["r1"],
                   rng.randint(66, 80)))  # fmt: skip
    elif outcome == "integration_requested":
        ev, day = story.evaluation(start, admit=False)
        ev.append((story.moment(day + dt.timedelta(days=12)), "request_integration",
                   story.committee_actor(), INTEGRATION_REQUESTS[0]))  # fmt: skip
    elif outcome == "integration_during_evaluation":
        ev, day = story.evaluation(start, reviews=0, close=False)
        ev.append((story.moment(day + dt.timedelta(days=15)), "request_integration",
                   story.committee_actor(), INTEGRATION_REQUESTS[1]))  # fmt: skip
    elif outcome == "submitted":
        ev, _ = story.evaluation(start, admit=False)
    elif outcome == "submitted_again":
        ev, _ = story.evaluation(start, admit=False, integration=True)
    elif outcome == "inadmissible":
        ev, day = story.evaluation(start, admit=False)
        ev.append((story.moment(day + dt.timedelta(days=rng.randint(10, 25))),
                   "declare_inadmissible", story.committee_actor(),
                   _INADMISSIBLE[b.inadmissible]))  # fmt: skip
        b.inadmissible += 1
    elif outcome == "withdrawn_draft":
        ev = [(story.moment(start + dt.timedelta(days=150)), "withdraw", lead_user,
               "The partners chose to join another value chain of the same sector.")]  # fmt: skip
    elif outcome == "withdrawn_submitted":
        ev, day = story.evaluation(start, admit=False)
        ev.append((story.moment(day + dt.timedelta(days=9)), "withdraw", lead_user,
                   "Withdrawn: two key partners left; the partnership will apply again."))  # fmt: skip
    elif outcome == "withdrawn_evaluation":
        ev, day = story.evaluation(start, reviews=1, close=False)
        ev.append((story.moment(day + dt.timedelta(days=14)), "withdraw", lead_user,
                   "Withdrawn: the lead partner was taken over by a foreign group."))  # fmt: skip
    elif outcome != "draft":  # pragma: no cover
        raise ValueError(outcome)
    b.run(app, {"lead": lead_user}, ev)


_INADMISSIBLE = [
    "Inadmissible: the project agreement was signed on behalf of four partners by people "
    "without signing powers.",
    "Inadmissible: the lead partner is an association; the call requires a firm as lead partner.",
]


def _start(rng: random.Random, outcome: str) -> dt.datetime:
    """When an application was opened (recognised ones are re-planned backwards)."""
    base = {
        "draft": dt.date(2025, 6, 2),
        "submitted": dt.date(2025, 8, 25),
        "submitted_again": dt.date(2025, 6, 16),
        "integration_requested": dt.date(2025, 5, 5),
        "integration_during_evaluation": dt.date(2025, 4, 7),
        "under_evaluation": dt.date(2025, 6, 23),
        "under_evaluation_one": dt.date(2025, 6, 9),
        "under_evaluation_conflict": dt.date(2025, 6, 30),
        "evaluated_high": dt.date(2025, 3, 3),
        "evaluated_low": dt.date(2025, 2, 10),
        "inadmissible": dt.date(2022, 6, 6),
        "withdrawn_draft": dt.date(2023, 3, 13),
        "withdrawn_submitted": dt.date(2023, 10, 2),
        "withdrawn_evaluation": dt.date(2024, 1, 15),
        "not_recognised": dt.date(2022, 3, 2),
        "label": dt.date(2022, 3, 2),
    }[outcome]
    day = base + dt.timedelta(days=rng.randint(0, 40))
    return _utc(day, rng.randint(8, 16), rng.choice((0, 15, 30, 45)))


def _phase_two(story: _Story, extra: str | None) -> list[tuple]:
    """After the label: its revocation. (Support and its completion come from the support
    measures' grants, replayed by ``tracker.demo.measures``.)"""
    officer, moment = story.officer, story.moment
    if extra == "revoked":
        return [(moment(dt.date(2024, 5, 16)), "revoke_label", officer,
                 "Label revoked (decree n. 7311 of 16/05/2024): after the lead partner's "
                 "insolvency and four withdrawals the partnership counts six firms with a seat "
                 "in Lombardy, below the ten the call requires.")]  # fmt: skip
    return []
