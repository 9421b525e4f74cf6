from bot.commands.names import match_name, prefix_suggestions
from bot.keys import name_key

DRIVERS = ["Tom Blomqvist", "Pipo Derani", "Jack Aitken", "Nyck de Vries",
           "Jean-Éric Vergne", "Sébastien Bourdais", "Max Verstappen", "Jos Verstappen"]


def test_name_key_folds_accents_case_and_punctuation():
    assert name_key("Jean-Éric Vergne") == name_key("jean eric  VERGNE") == "jean eric vergne"


def test_exact_surname_and_typo_lookups():
    assert match_name("tom blomqvist", DRIVERS).name == "Tom Blomqvist"
    assert match_name("blomqvist", DRIVERS).name == "Tom Blomqvist"
    assert match_name("de vries", DRIVERS).name == "Nyck de Vries"
    assert match_name("bourdais", DRIVERS).name == "Sébastien Bourdais"
    assert match_name("jean eric vergne", DRIVERS).name == "Jean-Éric Vergne"
    assert match_name("blomqvst", DRIVERS).name == "Tom Blomqvist"


def test_ambiguous_surname_offers_candidates():
    found = match_name("verstappen", DRIVERS)
    assert found.name is None
    assert found.candidates == ("Jos Verstappen", "Max Verstappen")


def test_unknown_name_matches_nothing():
    assert match_name("zzzz qqqq", DRIVERS).name is None
    assert match_name("", DRIVERS).name is None


def test_prefix_suggestions_prefer_prefixes():
    assert prefix_suggestions("ver", DRIVERS)[:3] == ["Jean-Éric Vergne", "Jos Verstappen",
                                                      "Max Verstappen"]
    assert prefix_suggestions("", DRIVERS, limit=2) == ["Jack Aitken", "Jean-Éric Vergne"]


def test_suggestions_take_starts_then_later_words_then_mistyped_words():
    drivers = [*DRIVERS, "Vries Tester"]
    assert prefix_suggestions("vri", drivers) == ["Vries Tester", "Nyck de Vries"]
    assert prefix_suggestions("de v", drivers) == ["Nyck de Vries"]
    assert prefix_suggestions("sebast", drivers) == ["Sébastien Bourdais"]  # accents folded
    # a slip in the prefix: names with a word starting alike, best first
    assert prefix_suggestions("vesrt", drivers)[:2] == ["Jos Verstappen", "Max Verstappen"]
    assert prefix_suggestions("qqqq", drivers) == []
    assert len(prefix_suggestions("", drivers, limit=3)) == 3


def test_suggestions_see_names_added_after_a_first_use():
    from bot.commands.names import NameIndex, suggest

    index = NameIndex(DRIVERS)
    assert suggest("quern", [index]) == []
    index.add(["Zoltan Quernheim"])
    assert suggest("quern", [index]) == ["Zoltan Quernheim"]
