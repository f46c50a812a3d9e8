"""The engine's pure glossary matcher, which every front end uses."""

from journey.engine.glossary import TermSpan, find_terms

GLOSSARY = {
    "hypothermia": "cold",
    "avalanche bulletin": "forecast",
    "avalanche": "snow",
    "탈북자": "a defector",
    "C++": "a language",
}


def spans(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.term) for s in find_terms(text, GLOSSARY)]


def test_whole_words_any_case() -> None:
    assert spans("Hypothermia, then HYPOTHERMIA.") == [
        ("Hypothermia", "hypothermia"),
        ("HYPOTHERMIA", "hypothermia"),
    ]
    assert spans("hypothermiac prehypothermia") == []


def test_longest_term_wins_and_spans_line_breaks() -> None:
    assert spans("Read the avalanche\nbulletin; an avalanche.") == [
        ("avalanche\nbulletin", "avalanche bulletin"),
        ("avalanche", "avalanche"),
    ]


def test_korean_and_punctuation_terms() -> None:
    assert spans("그는 탈북자 입니다") == [("탈북자", "탈북자")]
    assert spans("I like C++ a lot") == [("C++", "C++")]


def test_offsets_and_empty_inputs() -> None:
    assert find_terms("a hypothermia", GLOSSARY) == (TermSpan(2, 13, "hypothermia"),)
    assert find_terms("", GLOSSARY) == ()
    assert find_terms("hypothermia", {}) == ()
    assert find_terms("anything", {"  ": "blank"}) == ()
