"""The Italian of evaluation criteria: a criterion's label is data (an officer types it when
opening a call), so pages say it through the catalogue (``{{ c.label|t }}``, the review form's
field labels): a label known here is read in the reader's language, any other as it was typed.

These are the criteria of the calls the tracker follows: the value-chain EOI's (decree 2338 of
24/02/2022, as the demo's call in ``tracker/demo/data/eoi_call.yaml`` words them) and the
support measures' (``tracker/demo/data/measures.yaml``: Bando Filiere 2022 and the measures that
followed). A call opened with other criteria keeps its own words in every language; the
officer writes them in the language of the call.
"""

from workflows.i18n import N_

KNOWN_CRITERIA = (
    # the value-chain EOI
    N_("Coherence of the partnership with the challenges"),
    N_("Quality of the project proposal"),
    N_("Innovation and sustainability of the planned actions"),
    N_("Representativeness (firms, SMEs, provinces)"),
    # Bando Filiere 2022
    N_("Coherence with the value chain's challenges"),
    N_("Innovativeness of the project"),
    N_("Measurable added value for the value chain"),
    N_("Representativeness of the partnership (0/5/10/15)"),
    N_("Investments in the project"),
    N_("Employment growth (0/5/10/15)"),
    # Rafforzamento filiere (PR FESR 2021-2027)
    N_("Quality and feasibility of the project"),
    N_("Technological and organisational innovation"),
    N_("Impact on the value chain and its SMEs"),
    N_("Environmental sustainability (DNSH)"),
    # Basket Bond Filiere Lombardia
    N_("Creditworthiness of the issuing SMEs"),
    N_("Investment plan financed by the minibonds"),
    N_("Role of the issuers in the value chain"),
    # Competenze per lo sviluppo delle filiere
    N_("Analysis of the skills needed"),
    N_("Quality of the training plan"),
    N_("Involvement of SMEs and their workers"),
    N_("Expected employment outcomes"),
    # Transizione circolare delle piccole imprese in filiera
    N_("Circularity of products and processes"),
    N_("Technical and economic feasibility"),
    N_("Benefit for the small firms involved"),
    N_("Replicability in the value chain"),
)
