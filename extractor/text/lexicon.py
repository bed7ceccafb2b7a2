"""Every word list, in one place: calendar words, titles, nationalities, places,
organisation words, reporting verbs and hedges.

Lists that look alike but differ on purpose are kept apart under their own names, with
the reason: `ABBREVIATED_TITLES` (case-sensitive abbreviations for the sentence splitter)
vs. `TITLE_WORDS` (lower-case words of a person's title, for attribution) vs.
`NAME_MATCH_TITLES` (what name matching may drop). Modules build their patterns from
these lists; none writes a list of its own that is also here.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """A word list written as whitespace-separated words."""
    return frozenset(text.split())


# --- Calendar -------------------------------------------------------------------------

#: Month names, lower case, in calendar order.
MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
#: Month number by the first three letters of its name.
MONTHS = {name[:3]: number for number, name in enumerate(MONTH_NAMES, 1)}
#: Month names that are never also ordinary words or names: "May" is a modal and a name.
UNAMBIGUOUS_MONTHS = frozenset(MONTH_NAMES) - {"may"}
#: Weekday names, capitalised, Monday first (`date.weekday()` order).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_NAMES = frozenset(day.lower() for day in WEEKDAYS)
#: Abbreviated month names as news writes them ("Sept." before "Sep.": longest first).
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct",
                       "nov", "dec")  # fmt: skip
WEEKDAY_ABBREVIATIONS = ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun")
CALENDAR_ABBREVIATIONS = frozenset(MONTH_ABBREVIATIONS + WEEKDAY_ABBREVIATIONS)

# --- Titles ---------------------------------------------------------------------------

#: Abbreviated titles before a name, case-sensitive as written ("Gen.", "Mr"): a full stop
#: after one never ends a sentence. Separate from `TITLE_WORDS` because the splitter must
#: not treat every title word ("Chairman.", "King.") as an abbreviation.
ABBREVIATED_TITLES = words(
    """
    Mr Mrs Ms Messrs Mme Mlle Dr Prof Gen Gens Lt Col Maj Capt Cpt Cdr Cmdr Adm Brig Sgt Cpl
    Pvt Pte Gov Sen Sens Rep Reps Rev Hon Pres Supt Insp Det Fr Atty Amb Mt Ft Rt
    """
)
#: Honorifics, lower case: a single name after one is still a person ("Mr MacFarlane").
HONORIFICS = words("mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame")
#: Words that are part of a person's title, never of their name (lower case, with and
#: without a full stop), for attribution: ranks, offices, jobs and their modifiers
#: ("former", "acting", "foreign"), and group nouns ("officials").
TITLE_WORDS = HONORIFICS | words(
    """
    general gen gen. lt lt. lieutenant colonel col col. admiral adm adm. captain capt capt.
    major maj sergeant sgt commander cmdr marshal president vice prime minister secretary
    chairman chairwoman chairperson chair chief director ceo cfo coo cto executive officer
    spokesman spokeswoman spokesperson senator sen sen. representative rep rep. congressman
    congresswoman governor gov gov. mayor premier chancellor king queen prince princess
    pope judge justice professor lord
    analyst economist strategist leader head founder ambassador envoy deputy acting former
    foreign defence defense finance economy interior trade transport industry state staff
    managing editor correspondent spokesmen officials official member members
    speaker whip attorney nominee candidate aide aides adviser advisor commissioner sheriff
    lawmaker lawmakers councilman councilwoman assemblyman assemblywoman superintendent
    """
)
#: Titles and how news abbreviates them before a name ("Sen. Bernie Sanders" is "the
#: senator"), for referring back by title.
TITLE_ABBREVIATIONS = {
    "senator": ("sen",), "representative": ("rep",), "governor": ("gov",),
    "general": ("gen",), "professor": ("prof",), "president": ("pres",),
    "lieutenant": ("lt",), "colonel": ("col",), "captain": ("capt",), "attorney": ("atty",),
    "ambassador": ("amb",), "superintendent": ("supt",), "inspector": ("insp",),
}  # fmt: skip
#: Titles dropped from the front of a name before two names are compared ("President
#: Trump" ~ "Donald Trump", "Gen. Caine" ~ "Dan Caine"; only leading words go, and never
#: the last one: "Mr King" keeps "king"). Shorter than `TITLE_WORDS` on
#: purpose: words that also open organisation names ("General Assembly", "Justice
#: Department", "State Department", "King's College") are left out, or the leftovers
#: would match each other ("Assembly" ~ "National Assembly").
NAME_MATCH_TITLES = words(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr
    gen lt col maj capt cmdr adm sgt cpl brig lieutenant colonel major captain commander
    admiral sergeant corporal brigadier president vice prime minister secretary chancellor
    premier governor mayor senator sen rep representative congressman congresswoman ceo
    spokesman spokeswoman spokesperson ambassador envoy deputy former speaker whip
    """
)

# --- Nationalities, places, organisations ---------------------------------------------

#: Adjectives of nationality or region ("Russian", "South Korean" is two words).
NATIONALITIES = words(
    """
    american british russian chinese japanese korean german french indonesian european
    australian canadian italian indian israeli iranian ukrainian asian african arab
    """
)
COMPASS = words("south north east west")
#: The country an adjective of nationality names, for a country acting through its forces
#: or officials ("Russian forces launched …" -> Russia).
DEMONYMS = {
    "american": "United States", "british": "United Kingdom", "russian": "Russia",
    "chinese": "China", "japanese": "Japan", "german": "Germany", "french": "France",
    "indonesian": "Indonesia", "australian": "Australia", "canadian": "Canada",
    "italian": "Italy", "indian": "India", "israeli": "Israel", "iranian": "Iran",
    "ukrainian": "Ukraine", "turkish": "Turkey", "syrian": "Syria", "iraqi": "Iraq",
    "afghan": "Afghanistan", "pakistani": "Pakistan", "egyptian": "Egypt",
    "saudi": "Saudi Arabia", "mexican": "Mexico", "brazilian": "Brazil",
    "spanish": "Spain", "polish": "Poland", "lebanese": "Lebanon", "palestinian": "Palestine",
    "taiwanese": "Taiwan", "vietnamese": "Vietnam", "philippine": "Philippines",
    "nigerian": "Nigeria", "kenyan": "Kenya", "ethiopian": "Ethiopia", "sudanese": "Sudan",
    "yemeni": "Yemen", "libyan": "Libya", "venezuelan": "Venezuela", "colombian": "Colombia",
}  # fmt: skip
#: Nouns through which a country acts: its forces, its government's people.
STATE_AGENTS = words(
    "forces troops military army navy soldiers jets warplanes aircraft drones airstrikes"
    " strikes missiles officials authorities diplomats negotiators police"
)
#: Countries, regions, cities and states (single words: "hong", "kong").
PLACES = words(
    """
    korea japan china russia america europe asia africa india
    australia canada germany france britain england scotland ireland italy spain portugal
    brazil mexico argentina indonesia singapore malaysia thailand vietnam philippines
    pakistan iran iraq israel egypt turkey ukraine kuwait qatar arabia taiwan hong kong
    london paris berlin tokyo beijing moscow seoul brussels geneva sydney melbourne
    california texas florida ohio michigan detroit chicago virginia delaware
    """
)
#: Words that mark a capitalised run as an organisation ("the company" may refer to it).
ORGANISATION_WORDS = words(
    """
    bank motors motor company corp corp. inc inc. ltd group airlines airways corps
    agency council commission university institute association party exchange
    nasdaq airbus boeing apple fiat reuters corporation industries holdings partners
    workers union
    """
)
#: Words of institutions, places and bodies that are not organisations one can refer back
#: to ("the Senate", "United States", "Wall Street Journal", "Federal Reserve").
INSTITUTION_WORDS = words(
    """
    states kingdom senate congress government ministry department agencies news times post
    capital exchanges market markets treasury court parliament army navy force forces house
    office administration centre center fund federal national international street journal
    press network central united joint republican democratic
    """
)
#: Generic nouns that refer back to the organisation named last ("the company said").
GENERIC_ORGANISATIONS = words(
    "company firm carrier airline automaker carmaker manufacturer maker group bank"
)
#: Words that make a capitalised run an organisation, a place or a date, not a person.
#: Every organisation word but "corps", as the rules engine has always had it.
NON_PERSON = (
    (ORGANISATION_WORDS - {"corps"})
    | INSTITUTION_WORDS
    | PLACES
    | NATIONALITIES
    | COMPASS
    | WEEKDAY_NAMES
    | UNAMBIGUOUS_MONTHS
)

# --- Function words shared by several heuristics --------------------------------------

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its"})
PREPOSITIONS = frozenset({"of", "in", "at", "for", "from", "with", "by", "on", "to"})

# --- Reporting verbs and hedges -------------------------------------------------------


def _forms(*lemmas: str) -> set[str]:
    """Inflections of regular reporting verbs: state -> states, stated, stating."""
    forms: set[str] = set()
    for lemma in lemmas:
        if lemma.endswith("e"):
            forms |= {lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"}
        elif lemma.endswith("y") and lemma[-2] not in "aeiou":
            forms |= {lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
        else:
            forms |= {lemma, lemma + "s", lemma + "ed", lemma + "ing"}
    return forms


_SPEAK = {"speak", "speaks", "spoke", "speaking"}
_IRREGULAR = _SPEAK | {
    "say", "says", "said", "saying", "tell", "tells", "told", "telling",
    "write", "writes", "wrote", "writing",
    "admit", "admits", "admitted", "admitting",
}  # fmt: skip
_REPORTING = _forms(
    "add", "state", "warn", "caution", "claim", "announce", "explain", "note", "argue",
    "insist", "ask", "reply", "comment", "remark", "emphasize", "emphasise", "stress",
    "mention", "observe", "acknowledge", "declare", "conclude", "confirm", "deny",
    "respond", "continue", "assert", "reveal", "concede", "indicate", "report",
)  # fmt: skip
_BELIEF = _forms(
    "believe",
    "expect",
    "predict",
    "estimate",
    "suggest",
    "envision",
    "forecast",
    "fear",
    "hope",
    "suspect",
) | {"concerned", "worried", "convinced", "confident"}
#: Verbs that introduce a quotation.
QUOTE_CUES = frozenset(_IRREGULAR | _REPORTING | _forms("describe", "call", "dub", "quote"))
#: Verbs that introduce reported speech or a belief (a claim); "speak" introduces no content.
CLAIM_CUES = frozenset((_IRREGULAR - _SPEAK) | _REPORTING | _BELIEF)
#: Cues that make whatever they introduce hedged.
HEDGING_CUES = frozenset(_BELIEF)
#: Cues of an announcement: a hedged claim they introduce is still news, not an opinion.
ANNOUNCING_CUES = frozenset({"announced", "announces", "announce", "confirmed", "revealed"})
#: Words that make a claim hedged; used for the rules engine's and the model's claims alike.
HEDGES = re.compile(
    r"\b(?:may|might|could|would|likely|unlikely|possibly|probably|perhaps|expected|"
    r"reportedly|believed|estimated|appears?|seems?|should)\b"
)
#: What makes an unattributed clause the article's own claim (`<author>`), not its report of
#: what happened (eval/GUIDELINES.md: a prediction, an estimate or an assessment): a hedge,
#: the guidelines' other hedging words, the future, an approximate figure, a reason, or a
#: verdict ("did not fare so well", "illustrates").
AUTHOR_CLAIM_MARKERS = re.compile(
    r"\b(?:will|shall|won't|going to|until|anticipat\w*|hop(?:e|es|ed|ing)|possib\w*|"
    r"thought|feared|fears?|is said to|about|around|approximately|roughly|nearly|almost|"
    r"at least|at most|up to|because|due to|reasons?|illustrat\w*|enough|important|"
    r"significant\w*|(?:so|too|very|as)\s+(?:well|badly|poorly|good|bad))\b",
    re.IGNORECASE,
)
#: A report with no agent ("This is said to be …", "it is feared that …", "Fears that …"):
#: a claim in its sentence has no claimant, and is not `<author>` either (GUIDELINES.md).
AGENTLESS_REPORT = re.compile(
    r"\b(?:(?:is|are|was|were|been|being)\s+(?:said|thought|feared|believed|reported|"
    r"rumou?red|alleged|claimed|understood)|(?:fears?|concerns?|worries|rumou?rs?)\s+that)\b",
    re.IGNORECASE,
)

# --- Event arguments -------------------------------------------------------------------

#: Prepositions that put their object where an event happens ("in Seoul", "near Kursk").
LOCATIVE_PREPOSITIONS = words("in at near inside outside through throughout across around")
#: Prepositions that name where a movement goes ("deployment to the Korean Peninsula").
MOVEMENT_PREPOSITIONS = words("to into")

# --- Reported speech in the parse -----------------------------------------------------

#: Verbs whose clausal complement the parse reads as a claim: the claim cues, and verbs
#: of finding and showing that reports, polls and studies use ("a poll showed that").
REPORTED_SPEECH_VERBS = CLAIM_CUES | _forms(
    "show", "allege", "maintain", "contend", "accuse", "doubt", "agree", "guarantee",
    "project", "anticipate", "assume", "recognise", "recognize",
) | {
    "shown", "find", "finds", "found", "finding", "think", "thinks", "thought", "thinking",
}  # fmt: skip
#: Nouns whose "that" clause is someone's claim ("the claim that …", "X's view that …").
CLAIM_NOUNS = words(
    """
    claim claims view views belief beliefs assessment assessments warning warnings estimate
    estimates prediction predictions allegation allegations accusation accusations fear
    fears concern concerns assertion assertions argument arguments challenge challenges
    suggestion suggestions statement statements announcement report reports finding
    findings conclusion conclusions assurance assurances promise promises insistence
    """
)
#: Modals that make an unattributed main clause the article's own speculation.
AUTHOR_MODALS = words("would should may might could")
#: Words that make a reported clause a guess rather than news ("may be preparing").
SPECULATION = re.compile(
    r"\b(?:may|might|could|possibly|probably|perhaps|likely|unlikely|reportedly)\b"
)
#: Words before an event word that make it hypothetical ("a future visit").
HYPOTHETICAL = words("future possible potential proposed planned considering")
#: Prepositions that name the target of an attack ("the invasion of Georgia").
TARGET_PREPOSITIONS = words("of on against into")
#: Nouns that a proper name before them makes a market index ("the French Cac index").
INDEX_WORDS = words("index indexes indices average composite")
#: Determiners that make a noun refer back to something named before ("the drill", "their
#: meeting", "that deal").
DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "their", "its"})
#: Words of a sentence that reports a market move (an index, shares, points).
MARKET_WORDS = re.compile(
    r"\b(?:index|indices|indexes|average|shares|stocks?|points|markets?|Dow|Nasdaq|FTSE"
    r"|DAX|CAC|S&P|Nikkei|Hang\s+Seng)\b",
    re.I,
)
#: The world's main stock market indices, by the words news names them with (a number after
#: the name is matched too: "FTSE 100", "FTSE-100", "Nikkei 225"). Names that are also
#: ordinary words or other organisations' acronyms ("Dow" alone, "SMI", "IPC") are left out.
MARKET_INDICES = (
    "Dow Jones Industrial Average", "Dow Jones industrials", "Dow Jones", "S&P 500",
    "Standard & Poor's 500", "S&P/ASX 200", "S&P/TSX composite", "Nasdaq Composite", "Nasdaq",
    "Russell 2000", "Wilshire 5000", "FTSE", "FTSEurofirst", "FTSE MIB", "CAC", "DAX",
    "Euro Stoxx", "Stoxx Europe", "IBEX", "Nikkei", "Topix", "Hang Seng", "Kospi", "Kosdaq",
    "Sensex", "Nifty", "Straits Times Index", "Shanghai Composite", "Shenzhen Component",
    "Taiex", "MICEX", "RTS", "Bovespa", "Merval", "ASX", "TSX",
)  # fmt: skip
#: Nouns of an area that a proper name before them makes a place ("the Kursk region").
PLACE_NOUNS = words("region province state district city town village county peninsula area")
#: Words that make a named organisation a building one can be in ("the Everett Factory").
FACILITY_WORDS = words(
    "factory plant courts court centre center hall house palace stadium airport headquarters"
)
#: Bodies an article names by their country ("the UK government", "Russian military").
GOVERNMENT_WORDS = words("government ministry military army navy police parliament cabinet")
#: Verbs whose object is a product, not a participant ("unveiled the iPad").
PRODUCT_VERBS = words(
    "unveil unveiled unveils unveiling launch launched launches release released introduce"
    " introduced introduces preview previewed announce announced announces"
)
#: Clock words the entity recogniser takes for organisations ("16:15 UTC").
#: Words of a product put out, as statement triggers ("was released", "a preview of").
RELEASE_WORDS = words(
    "release releases released preview previews previewed launch launches launched"
    " introduce introduces introduced unveil unveils unveiled"
)
#: Verbs of a reaction, whose actors are who reacts, not what they react to.
REACTION_VERBS = words(
    "welcome welcomes welcomed express expresses expressed criticise criticises criticised"
    " criticize criticizes criticized condemn condemns condemned praise praises praised"
)
CLOCK_WORDS = words("utc gmt est edt pst cet am pm a.m. p.m.")
#: Verbs asserting a cause: "X attributed A to B", "blamed A on B", "associated A with B".
ATTRIBUTING_VERBS = words("attribute attributes attributed blame blames blamed associated")

# --- French ---------------------------------------------------------------------------

#: French reporting verbs as they appear next to a quote, in the forms news uses: the
#: past participle after "a"/"avait" ("a déclaré"), the present and the imperfect
#: ("affirme", "indiquait"), the simple past ("déclara") and inversions ("dit-il").
FRENCH_QUOTE_CUES = words(
    """
    déclaré déclare déclarait déclara indiqué indique indiquait indiqua affirmé affirme
    affirmait affirma expliqué explique expliquait expliqua estimé estime estiment
    estimait précisé précise précisait ajouté ajoute ajoutait ajouta dit dit disait
    souligné souligne soulignait répondu répond répondit lancé lance lança annoncé annonce
    annonçait confié confie assuré assure assurait rappelé rappelle relevé relève écrit
    écrivait raconté raconte raconta poursuivi poursuit insisté insiste commenté commente
    réagi martelé témoigné témoigne dénoncé dénonce lâché lâche pense pensent pensait
    salué salue saluent nuancé nuance jugé regretté regrette reconnu reconnaît noté
    prévenu prévient averti avertit conclu conclut tempéré tempère assène asséné répété
    répète
    """
)
#: Nouns that name a speaker by role ("le graphiste", "l'ONG"): a mention of one refers
#: to the person or organisation the article introduced with it ("le graphiste portugais
#: Miguel Neiva"). Organisation nouns also refer to any organisation so introduced.
FRENCH_PERSON_NOUNS = words(
    """
    ministre président présidente porte-parole directeur directrice responsable chercheur
    chercheuse juge procureur procureure avocat avocate maire député députée sénateur
    sénatrice graphiste journaliste commentateur commentatrice complice entraîneur joueur
    joueuse dirigeant dirigeante secrétaire chef patron patronne pdg fondateur fondatrice
    expert experte spécialiste manifestant manifestante témoin policier médecin professeur
    professeure physicien physicienne scientifique auteur auteure ambassadeur ambassadrice
    commissaire syndicaliste militant militante représentant représentante délégué déléguée
    candidat candidate opposant opposante chanteur chanteuse acteur actrice réalisateur
    réalisatrice écrivain écrivaine économiste analyste élu élue conseiller conseillère
    souverain roi reine pape général colonel capitaine pilote astronaute ingénieur
    """
)
FRENCH_ORGANISATION_NOUNS = words(
    """
    ong organisation association fédération groupe entreprise société parti syndicat
    ministère commission agence compagnie firme constructeur institut mouvement collectif
    club régime administration fondation banque opérateur
    """
)
#: Members of a group ("les militants du Hamas", "les membres d'Ansar Eddine"): the name
#: after them is an organisation's.
FRENCH_MEMBER_NOUNS = words(
    "membres militants islamistes combattants partisans rebelles sympathisants adhérents"
)
#: Cue phrases of more than one word ("a mis l'accent sur", "a fait savoir que").
FRENCH_QUOTE_CUE_PHRASES = ("mis l'accent sur", "mis l’accent sur", "mis en garde",
                            "fait savoir", "fait valoir")  # fmt: skip
#: Institutions named by a common noun ("le gouvernement"): a mention refers only to one
#: introduced with the same noun.
FRENCH_INSTITUTIONS = words("gouvernement parquet tribunal cour police armée conseil mairie")
#: A speaker phrase that is a pronoun, and the gender of the determiners that open one.
FRENCH_MASCULINE = words("le un son ce cet du au")
FRENCH_FEMININE = words("la une sa cette")
#: Honorifics before a French name ("Mme Fatou Bensouda").
FRENCH_HONORIFICS = words("m mme mlle mmes mm monsieur madame mademoiselle me maître dr pr")
#: Articles and determiners that open a French noun phrase.
FRENCH_DETERMINERS = words("le la les l' l’ un une des du de ce cette ces son sa ses leur leurs")
