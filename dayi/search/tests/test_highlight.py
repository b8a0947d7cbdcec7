"""Marking the matched words: in the text as it was written, whatever its width, case or accents."""

from dayi.search.highlight import highlight, snippet, spans


def test_words_are_found_whatever_their_width_case_and_accents():
    assert highlight("ＴＯＣ分析仪", ["toc"]) == "<mark>ＴＯＣ</mark>分析仪"
    assert highlight("ÄKTA pure 25", ["akta"]) == "<mark>ÄKTA</mark> pure 25"
    assert highlight("PinAAcle 900T", ["pinaacle", "900t"]) == "<mark>PinAAcle</mark> <mark>900T</mark>"


def test_characters_that_fold_to_several_or_to_none_keep_their_place():
    # ㎎ folds to "mg", and a combining accent to nothing: the marks fall on the written text.
    assert highlight("5 ㎎ 样品", ["mg"]) == "5 <mark>㎎</mark> 样品"
    assert highlight("Ae\u0301rosol kit", ["aerosol"]) == "<mark>Ae\u0301rosol</mark> kit"
    assert highlight("ﬁlter ㎎", ["filter"]) == "<mark>ﬁlter</mark> ㎎"


def test_overlapping_and_touching_words_make_one_mark():
    assert spans("原子吸收光谱仪", ["原子吸收", "吸收光谱"]) == [(0, 6)]
    assert spans("原子吸收", ["原子", "吸收"]) == [(0, 4)]
    assert spans("gc-ms gc", ["gc"]) == [(0, 2), (6, 8)]


def test_single_latin_letters_are_not_marked_but_single_han_characters_are():
    assert spans("X ray 光", ["x", "光"]) == [(6, 7)]


def test_the_text_is_escaped_around_and_inside_the_marks():
    assert highlight("<b>&ICP</b>", ["icp"]) == "&lt;b&gt;&amp;<mark>ICP</mark>&lt;/b&gt;"
    assert highlight('O\'Neil "x"', ["neil"]) == "O&#x27;<mark>Neil</mark> &quot;x&quot;"
    assert highlight("", ["x"]) == ""
    assert highlight(None, ["x"]) == ""


def test_a_snippet_is_cut_around_the_first_match():
    text = "甲" * 200 + "紫外可见" + "乙" * 200
    excerpt = snippet(text, ["紫外"])
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert "<mark>紫外</mark>" in excerpt
    assert snippet("短文本", ["无"]) == "短文本"
