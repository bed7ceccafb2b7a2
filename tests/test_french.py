"""French quotes and speakers from patterns alone (there is no French parse): each test is
one pattern of French news copy, in invented sentences."""

from __future__ import annotations

import pytest

from extractor.rules.french import find_french_quotes
from extractor.text.segment import sentences


def quotes(text: str) -> list[tuple[str, str | None]]:
    found = find_french_quotes(text, sentences(text))
    for q in found:
        assert text[q.char_start : q.char_end] == q.text
    return [(q.text, q.speaker) for q in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "que :" and "qu'il" between the cue and the opening mark
        (
            "Paul Verdier, directeur de l'usine, précise que : « Nous ne fermerons pas le site ».",
            [("Nous ne fermerons pas le site", "Paul Verdier")],
        ),
        (
            "Claire Dubois, de la CFDT, a elle relevé qu'il « manque encore trois cents postes ».",
            [("manque encore trois cents postes", "Claire Dubois")],
        ),
        # "comme le rappelle X, « … »"
        (
            "Le projet a été abandonné, comme le rappelle Amnesty, « faute de financement ».",
            [("faute de financement", "Amnesty")],
        ),
        # "Selon X, Name, …: « … »": the name in apposition, not the role
        (
            "Selon le maire de la ville, Jean Morel, le chantier durera deux ans : "
            "« Nous avons tout prévu pour les riverains. »",
            [("Nous avons tout prévu pour les riverains.", "Jean Morel")],
        ),
        # "Name, title, a indiqué « … »": the name, not the title
        (
            "Marc Leroy, PDG de Vélo France, a indiqué « vouloir ouvrir deux usines ».",
            [("vouloir ouvrir deux usines", "Marc Leroy")],
        ),
    ],
)
def test_cue_patterns(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert quotes(text) == expected


def test_a_quote_going_on_in_its_sentence_keeps_its_speaker() -> None:
    text = (
        "La ministre Anne Robert a promis de « réduire les délais », de « simplifier les "
        "démarches » et de « recruter des juges » avant la fin de l'année."
    )
    # "promis" is no cue: the three fragments are not quotes; with a cue they are hers
    assert quotes(text) == []
    text = text.replace("a promis", "a annoncé vouloir")
    assert quotes(text) == [
        ("réduire les délais", "Anne Robert"),
        ("simplifier les démarches", "Anne Robert"),
        ("recruter des juges", "Anne Robert"),
    ]


def test_coordinated_cue_takes_the_sentence_subject() -> None:
    text = (
        "Dupont, le président du club se dit « très satisfait » et pense que « l'équipe "
        "peut encore progresser cette saison »."
    )
    assert [s for _, s in quotes(text)] == ["Dupont", "Dupont"]


def test_a_pronoun_is_the_subject_of_the_sentences_before() -> None:
    text = (
        "La chanteuse canadienne Lucie Garneau a annulé sa tournée. Elle souffre d'une "
        "laryngite depuis mars. Son agent Pierre Lamy a confirmé la nouvelle. Selon lui, "
        "la tournée reprendra en septembre. En 2010, elle avait déjà dû renoncer à un "
        "concert. « Je reviendrai plus forte », a-t-elle promis. "
        "« Je reviendrai plus forte encore », avait-elle lancé."
    )
    # "a-t-elle promis": "promis" is no cue; "avait-elle lancé" is, and "elle" is the
    # subject of the sentences before: "elle", then back to "Lucie Garneau" (the
    # masculine "Son agent" is skipped)
    assert quotes(text)[-1] == ("Je reviendrai plus forte encore", "Lucie Garneau")


def test_a_pronoun_may_be_a_nominal_subject() -> None:
    text = (
        "Le nouveau gouvernement a présenté son budget mardi. Il a toutefois déclaré que "
        "« les impôts ne baisseront pas cette année »."
    )
    assert quotes(text) == [("les impôts ne baisseront pas cette année", "nouveau gouvernement")]


def test_a_role_noun_is_the_name_it_was_introduced_with() -> None:
    text = (
        "Le projet a été conçu par l'architecte danois Sven Holm et par l'association "
        "Ville Verte. Pour présenter les plans, l'architecte s'est appuyé sur une image : "
        "« Une ville est un jardin qui a des rues. » L'organisation, qui affirme « défendre "
        "les piétons », a salué le projet. Son complice de toujours, Lars Berg, a ajouté : "
        "« Nous y travaillons depuis dix ans. » Selon son complice, « rien n'était gagné »."
    )
    assert quotes(text) == [
        ("Une ville est un jardin qui a des rues.", "Sven Holm"),
        ("défendre les piétons", "Ville Verte"),
        ("Nous y travaillons depuis dix ans.", "Lars Berg"),
        ("rien n'était gagné", "Lars Berg"),
    ]


def test_a_role_with_a_complement_stays_a_description() -> None:
    text = "Pour finir, la porte-parole de la mairie a nuancé ces chiffres. « Tout va bien. »"
    assert quotes(text) == [("Tout va bien.", "porte-parole de la mairie")]


def test_pour_x_attributes_only_a_speaker_not_an_infinitive_or_a_time() -> None:
    text = (
        "L'ONG Médecins du Monde a publié un rapport. Pour l'organisation humanitaire, "
        "la situation reste « une urgence absolue pour les enfants ». Pour la première "
        "fois, le mot « famine » figure dans le rapport. Pour conclure, le texte évoque "
        "« un effort de plusieurs années »."
    )
    assert quotes(text) == [
        ("une urgence absolue pour les enfants", "Médecins du Monde"),
        ("un effort de plusieurs années", None),
    ]  # « famine »: a word with no cue is no quote


def test_an_acronym_is_spelt_out_from_its_introduction() -> None:
    text = (
        "L'ONG Reporters Sans Frontières publie son classement. Selon RSF, « la presse "
        "n'a jamais été aussi menacée »."
    )
    assert quotes(text) == [("la presse n'a jamais été aussi menacée", "Reporters Sans Frontières")]


def test_a_dialogue_in_one_pair_of_marks_is_one_quote_per_turn() -> None:
    text = (
        "L'entraîneur Paul Garnier plaisante souvent avec son adjoint, Luc Perrin : "
        "« Tu as vu ce but ? — Oui, magnifique ! », répondit un jour son adjoint."
    )
    # the first turn is the subject who opens the exchange with a colon
    assert quotes(text) == [
        ("Tu as vu ce but ?", "Paul Garnier"),
        ("Oui, magnifique !", "Luc Perrin"),
    ]


def test_a_short_name_like_quotation_needs_a_cue_next_to_it() -> None:
    text = (
        "Selon l'agence Fitch Ratings, la note du pays passe de « BBB+ » à « BBB ». "
        "Le ministre Henri Blanc a dénoncé « une erreur »."
    )
    assert quotes(text) == [("une erreur", "Henri Blanc")]


def test_members_of_a_group_name_an_organisation() -> None:
    text = (
        "Les militants du Front Vert ont bloqué la route. Le mouvement, qui affirme "
        "« défendre la forêt », refuse de négocier."
    )
    assert quotes(text) == [("défendre la forêt", "Front Vert")]


def test_a_cue_phrase_of_several_words() -> None:
    text = (
        "La Chambre des métiers a mis l'accent sur les aides prévues pour « soutenir les "
        "artisans »."
    )
    assert quotes(text) == [("soutenir les artisans", "Chambre des métiers")]


def test_a_new_cue_between_two_quotes_ends_the_first_speaker() -> None:
    text = (
        "« Les travaux commencent lundi », a annoncé le maire, Jean Morel. « Ils dureront "
        "un an. » Le préfet Louis Carré a nuancé ce calendrier. « Rien n'est signé. »"
    )
    assert quotes(text) == [
        ("Les travaux commencent lundi", "Jean Morel"),
        ("Ils dureront un an.", "Jean Morel"),
        ("Rien n'est signé.", "Louis Carré"),
    ]


def test_other_marks_inside_guillemets_are_quotes_within_the_quote() -> None:
    text = (
        "Le syndicat CGT estime que « les agents parlent d'un “climat de peur” dans le "
        "service » et dénonce « des horaires intenables »."
    )
    assert quotes(text) == [
        ("les agents parlent d'un “climat de peur” dans le service", "CGT"),
        ("des horaires intenables", "CGT"),
    ]


def test_selon_after_the_closing_mark() -> None:
    text = "La hausse des prix « devrait ralentir dès l'automne » selon M.Lefort, économiste."
    assert quotes(text) == [("devrait ralentir dès l'automne", "Lefort")]


ARTICLE = (
    "12 mars 2024. - Le ministre de l'Économie, Bruno Garnier, a présenté mardi son plan. "
    "« Nous devons agir vite », a-t-il déclaré devant les députés.\n\n"
    "L'opposition a vivement critiqué le projet. « C'est un cadeau fait aux plus riches », a "
    "dénoncé la députée Claire Vasseur. Elle a ajouté que le texte était « injuste ».\n\n"
    "Interrogé par la radio, le président de la Fédération du bâtiment, Olivier Salleron, a "
    "jugé la mesure « insuffisante ». « Le secteur attend des actes », a-t-il insisté.\n\n"
    "Pour Marie Leblanc, économiste, « l'effet sur l'emploi sera limité ». D'après elle, « il "
    "faudra attendre deux ans »."
)


def test_pronouns_in_an_article_take_the_person_the_sentences_before_name() -> None:
    # the subject's apposition ("Le ministre …, Bruno Garnier, a …"), a sentence that opens
    # with a quotation (its speaker is its subject), an introductory participle
    # ("Interrogé par la radio, …"), and "Pour X, « … »" as the sentence's source
    assert quotes(ARTICLE) == [
        ("Nous devons agir vite", "Bruno Garnier"),
        ("C'est un cadeau fait aux plus riches", "Claire Vasseur"),
        ("injuste", "Claire Vasseur"),
        ("insuffisante", "Olivier Salleron"),
        ("Le secteur attend des actes", "Olivier Salleron"),
        ("l'effet sur l'emploi sera limité", "Marie Leblanc"),
        ("il faudra attendre deux ans", "Marie Leblanc"),
    ]
    found = find_french_quotes(ARTICLE, sentences(ARTICLE))
    [insufficient] = [q for q in found if q.text == "insuffisante"]
    assert insufficient.speaker_title == "président de la Fédération du bâtiment"


STRIKE = (
    "Lyon, 3 avril 2024. - Les routiers ont bloqué deux autoroutes ce mercredi. La ministre "
    "des Transports, Hélène Morin, a indiqué qu'elle les recevrait vendredi : « La porte est "
    "ouverte. » Elle a toutefois rappelé que « les blocages doivent cesser ».\n\n"
    "La CFTC, deuxième syndicat du secteur, dénonce une réponse tardive. Son président, "
    "Marc Aubry, a estimé sur la radio que le gouvernement « n'a rien compris ». « Il faut "
    "des actes », a-t-il répété. « On reste là », lâche un chauffeur, les bras croisés."
)


def test_pronouns_and_descriptions_in_a_strike_report() -> None:
    # "Elle" in the sentence the segmenter kept with the quotation before it; "il" past a
    # feminine subject ("La CFTC") to the masculine one with a name ("Son président, Marc
    # Aubry"); a speaker phrase's description of the scene is no part of it
    assert quotes(STRIKE) == [
        ("La porte est ouverte.", "Hélène Morin"),
        ("les blocages doivent cesser", "Hélène Morin"),
        ("n'a rien compris", "Marc Aubry"),
        ("Il faut des actes", "Marc Aubry"),
        ("On reste là", "chauffeur"),
    ]


def test_a_quotation_that_is_its_sentence_predicate_is_its_subject_s() -> None:
    text = (
        "L'entreprise Technoval, qui emploie 2 000 personnes, fera appel. Dans un "
        "communiqué, elle « conteste fermement cette décision de justice »."
    )
    assert quotes(text) == [("conteste fermement cette décision de justice", "Technoval")]


def test_titles_leave_out_fillers_and_bare_honorifics() -> None:
    text = (
        "De son côté, le directeur de l'Observatoire des prix, Louis Fabre a déclaré : "
        "« Les loyers vont encore monter. » Les aides ne suffiront pas, « malgré les "
        "efforts de l'État », selon M.Garcin."
    )
    found = find_french_quotes(text, sentences(text))
    assert [(q.speaker, q.speaker_title) for q in found] == [
        ("Louis Fabre", "directeur de l'Observatoire des prix"),
        ("Garcin", None),
    ]
