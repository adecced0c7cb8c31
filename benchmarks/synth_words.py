"""Word lists and name lists from which `synth.py` builds prose, titles and BibTeX entries."""

from __future__ import annotations

TOPICS = [  # id, title, summary, nouns the facts are about
    ("trade", "Trade and investment", "Volumes, balances and the structure of bilateral trade.",
     ["oil", "gas", "grain", "machinery", "electronics", "timber", "coal", "fertiliser"]),
    ("energy", "Energy and infrastructure", "Pipelines, power grids, ports and the deals behind them.",
     ["pipeline", "power line", "port", "rail corridor", "refinery", "LNG terminal", "bridge", "dam"]),
    ("security", "Security and defence", "Arms transfers, exercises, treaties and their reading by analysts.",
     ["arms", "naval", "border", "missile", "air defence", "cyber", "training", "intelligence"]),
    ("technology", "Science and technology", "Research links, satellites, standards and the transfer of know-how.",
     ["satellite", "semiconductor", "software", "research", "navigation", "telecom", "nuclear", "biotech"]),
]
HEADINGS = ["Overview", "Figures", "Judgements", "Open questions"]

# -- words for prose ---------------------------------------------------------------

SUBJECTS = ["The author", "The study", "This chapter", "The report", "The survey", "The paper",
            "The analysis", "The essay", "The review", "The article", "The dataset", "The monograph"]
VERBS = ["argues", "contends", "suggests", "shows", "notes", "maintains", "observes", "claims",
         "finds", "stresses", "concludes", "doubts", "implies", "demonstrates", "reports"]
ADJS = ["bilateral", "regional", "strategic", "economic", "political", "institutional", "fragile",
        "durable", "asymmetric", "informal", "limited", "growing", "persistent", "uneven", "formal",
        "pragmatic", "long-term", "short-lived", "official", "practical", "wider", "declining"]
NOUNS = ["cooperation", "trade", "dependence", "partnership", "rivalry", "investment", "alignment",
         "leverage", "trust", "integration", "coordination", "competition", "diplomacy", "pressure",
         "sanctions", "infrastructure", "capacity", "interest", "policy", "agenda", "balance", "exchange"]
PLURALS = ["governments", "exporters", "ministries", "state firms", "analysts", "banks", "officials",
           "planners", "negotiators", "regulators", "elites", "markets", "partners", "agencies"]
VPS = ["has deepened", "has stalled", "remains uneven", "depends on {np}", "has been overstated",
       "rests on {np}", "outweighs {np}", "reflects {np}", "has shifted towards {np}",
       "is constrained by {np}", "follows from {np}", "has outpaced {np}", "lags behind {np}",
       "was shaped by {np}", "rarely matches {np}"]
PPS = ["since the {decade}", "in the {region}", "after {event}", "despite {np}", "over the past decade",
       "in most sectors", "at the regional level", "for both sides", "in the long run", "before {event}",
       "in official statements", "across the border regions", "within a few years"]
DECADES = ["1990s", "2000s", "2010s", "early 2000s", "late 1990s", "mid-2010s"]
REGIONS = ["Arctic", "Central Asia", "Far East", "Black Sea region", "Pacific", "Caspian basin", "Baltic"]
EVENTS = ["the 2008 crisis", "the 2014 sanctions", "the border settlement", "the pandemic",
          "the 2022 invasion", "the oil price collapse", "the trade war", "the summit of 2019"]
CONNECTORS = ["However,", "Moreover,", "In contrast,", "At the same time,", "Still,", "Above all,",
              "In practice,", "By the same token,", "On this reading,", "Even so,", "Crucially,"]
TITLE_HEADS = ["Partners of Convenience", "Beyond the Rhetoric", "A Marriage of Necessity", "Uneasy Neighbours",
               "The Limits of Alignment", "Pipelines and Power", "Dragon and Bear", "An Axis of Interests",
               "Sanctions and Substitutes", "Rivals in Partnership", "The New Silk Roads", "Frozen Frontiers",
               "Strategic Hedging", "Interdependence Revisited", "Engines of Integration", "Markets and Missiles"]
TITLE_TAILS = ["{Adj} {Noun} in the {Region}", "{Adj} {Noun} since the {Decade}", "{Noun} and {Noun2} after {Event}",
               "The Politics of {Adj} {Noun}", "Explaining {Adj} {Noun}", "{Noun}, {Noun2} and the State"]

SURNAMES = [  # (BibTeX, ASCII for keys)
    ("M{\\\"u}ller", "muller"), ("Sch{\\\"o}n", "schon"), ("Garc{\\'i}a", "garcia"), ("Lef{\\`e}vre", "lefevre"),
    ("S{\\o}rensen", "sorensen"), ("Kova{\\v{c}}evi{\\'c}", "kovacevic"), ("{\\O}degaard", "odegaard"),
    ("Nu{\\~n}ez", "nunez"), ("J{\\'o}nsson", "jonsson"), ("Ca{\\~n}ete", "canete"), ("G{\\\"o}k", "gok"),
    ("Baev", "baev"), ("Lo", "lo"), ("Chen", "chen"), ("Wang", "wang"), ("Li", "li"), ("Zhang", "zhang"),
    ("Liu", "liu"), ("Ivanov", "ivanov"), ("Petrova", "petrova"), ("Sokolov", "sokolov"), ("Volkova", "volkova"),
    ("Kim", "kim"), ("Tanaka", "tanaka"), ("Nakamura", "nakamura"), ("Johnson", "johnson"), ("Smith", "smith"),
    ("Okafor", "okafor"), ("Singh", "singh"), ("Haddad", "haddad"), ("Novak", "novak"), ("Rossi", "rossi"),
    ("Silva", "silva"), ("Cohen", "cohen"), ("Andersen", "andersen"), ("Kowalski", "kowalski"),
    ("Dubois", "dubois"), ("Martin", "martin"), ("Becker", "becker"), ("Hoffmann", "hoffmann"),
    ("Jensen", "jensen"), ("Larsen", "larsen"), ("O'Brien", "obrien"), ("Gabuev", "gabuev"), ("Ye", "ye"),
    ("Kaczmarek", "kaczmarek"), ("Fischer", "fischer"), ("Moreau", "moreau"), ("Bianchi", "bianchi"),
    ("Yilmaz", "yilmaz"), ("Park", "park"), ("Huang", "huang"), ("Zhao", "zhao"), ("Orlov", "orlov"),
    ("Popescu", "popescu"), ("Horv{\\'a}th", "horvath"), ("Dvo{\\v{r}}{\\'a}k", "dvorak"), ("Wei{\\ss}", "weiss"),
]
FIRST_NAMES = ["Jos{\\'e}", "Ren{\\'e}e", "J{\\\"o}rg", "Fran{\\c{c}}ois", "Zo{\\\"e}", "Ana", "Wei", "Olga",
               "Pavel K.", "Bobo", "Min", "Sarah", "David", "Elena", "Hiroshi", "Amara", "Rahul", "Leila",
               "Tom{\\'a}s", "Ingrid", "Mei", "Sergei", "Anna", "Marco", "Chiara", "Kenji", "Ji-woo"]
CORPORATE = [("{International Energy Agency}", "iea"), ("{World Bank}", "worldbank"),
             ("{Congressional Research Service}", "crs"), ("{Asian Development Bank}", "adb"),
             ("{Stockholm International Peace Research Institute}", "sipri")]
JOURNALS = [("cb", "China Brief"), ("gjia", "Georgetown Journal of International Affairs"),
            ("ia", "International Affairs"), ("sv", "Survival"), ("ejis", "European Journal of International Security"),
            ("pps", "Post-Soviet Affairs"), ("cq", "The China Quarterly"), ("jss", "Journal of Strategic Studies"),
            ("ep", "Energy Policy"), ("asp", "Asian Survey"), ("eas", "Europe-Asia Studies"), ("tw", "The Washington Quarterly")]
PUBLISHERS = [("Brookings Institution Press", "Washington, DC"), ("Routledge", "London"),
              ("Oxford University Press", "Oxford"), ("Cambridge University Press", "Cambridge"),
              ("Palgrave Macmillan", "Basingstoke"), ("Stanford University Press", "Stanford, CA")]
INSTITUTIONS = ["RAND Corporation", "Carnegie Endowment for International Peace", "Chatham House",
                "Peace Research Institute Oslo", "Center for Strategic and International Studies",
                "Institute of World Economy and International Relations"]
UNIVERSITIES = ["University of Oxford", "Universit{\\'e} de Gen{\\`e}ve", "Peking University", "Harvard University",
                "Moscow State Institute of International Relations", "Universit{\\\"a}t Wien"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]

ASSESSMENTS = [("rising", ["trending steadily upward", "still growing", "on a rising path"]),
               ("stable", ["broadly unchanged", "holding steady", "neither growing nor shrinking"]),
               ("declining", ["losing momentum", "in slow decline", "weakening year by year"]),
               ("peaked", ["may have peaked", "past its high point", "at a plateau after its peak"])]
CATEGORIES = [("energy-for-manufactures", ["raw materials for manufactured goods", "energy exchanged for machinery"]),
              ("diversified", ["a broad mix of goods", "increasingly diversified"]),
              ("state-led", ["driven by state companies", "led by government agencies"]),
              ("market-led", ["driven by private firms", "shaped by market demand"])]
