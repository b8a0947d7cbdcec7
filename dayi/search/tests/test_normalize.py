import pytest

from dayi.search import normalize


@pytest.mark.parametrize(
    ("typed", "folded"),
    [("ＴＯＣ", "toc"), ("ÄKTA", "akta"), ("Icp Oes", "icp oes"), ("Ｘ射线", "x射线"), ("", "")],
)
def test_fold_width_case_and_diacritics(typed, folded):
    assert normalize.fold(typed) == folded


@pytest.mark.parametrize("typed", ["ICP-OES", "icpoes", "Icp Oes", "ＩＣＰ－ＯＥＳ", "icp/oes"])
def test_acronyms_compact_alike(typed):
    assert normalize.compact(typed) == "icpoes"


def test_model_numbers_compact_and_split():
    assert normalize.compact('"vario EL"') == "varioel"
    assert "varioelcube" in normalize.tokens("vario EL cube")
    assert {"su8010", "su", "8010"} <= set(normalize.tokens("SU8010"))
    assert "pinaacle900t" in normalize.tokens("PinAAcle 900T")


def test_mixed_scripts_are_split():
    assert normalize.runs("TOC分析") == ["toc", "分析"]
    assert normalize.tokens("TOC分析") == ["toc", "分析"]


def test_segmentation_uses_the_domain_words():
    assert normalize.words("原子吸收光谱仪") == ["原子吸收", "光谱仪"]
    assert "顺磁" in normalize.search_words("电子顺磁共振波谱仪")
    assert {"超速", "离心机", "超速离心机"} <= set(normalize.search_words("超速离心机"))


def test_pinyin_full_words_and_initials():
    tokens = normalize.pinyin_tokens("原子吸收光谱仪")
    assert {"yuanzi", "xishou", "yuanzixishou", "yuanzixishouguangpuyi", "yzxsgpy"} <= set(tokens)
    assert normalize.pinyin_tokens("ICP-OES") == []


def test_punctuation_and_emoji_leave_nothing():
    assert normalize.tokens("' \" * : & | ! ( ) - 🔬") == []
