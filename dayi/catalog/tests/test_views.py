from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dayi.accounts.models import Region
from dayi.catalog.models import Category, InstrumentPhoto, Theme, YearlyUsage

LIST = reverse("catalog:list")


def shown(response):
    return {instrument.pk for instrument in response.context["page"].object_list}


def test_visitor_sees_only_approved_non_confidential_instruments(client, make_instrument, make_public):
    public = make_public()
    draft = make_instrument()
    confidential = make_public(is_confidential=True)
    response = client.get(LIST)
    assert response.status_code == 200
    assert shown(response) == {public.pk}
    assert draft.pk not in shown(response) and confidential.pk not in shown(response)


def test_unit_admin_also_sees_own_drafts_marked_as_such(client, unit_admin, make_instrument, make_public):
    draft = make_instrument(name="自有草稿仪器")
    make_public()
    client.force_login(unit_admin)
    response = client.get(LIST)
    assert draft.pk in shown(response)
    assert "草稿" in response.content.decode()


def test_class_filter_takes_a_code_at_any_level_and_keeps_its_subtree(client, make_public):
    sem = make_public(class_code="010102")
    gc = make_public(class_code="010501")
    tensile = make_public(class_code="020101")
    assert shown(client.get(LIST, {"cls": "010000"})) == {sem.pk, gc.pk}
    assert shown(client.get(LIST, {"cls": "010500"})) == {gc.pk}
    assert shown(client.get(LIST, {"cls": "010102"})) == {sem.pk}
    assert shown(client.get(LIST, {"cls": "020000"})) == {tensile.pk}


def test_category_filter(client, make_public):
    sem = make_public(class_code="010102")
    make_public(class_code="010501")
    assert shown(client.get(LIST, {"category": "microscopy"})) == {sem.pk}


def test_region_filter_keeps_the_subtree(client, make_public, qingjiangpu):
    local = make_public(region=qingjiangpu)
    nanjing = make_public(region=Region.objects.get(code="320102"))
    assert shown(client.get(LIST, {"region": "320800"})) == {local.pk}
    assert shown(client.get(LIST, {"region": "320812"})) == {local.pk}
    assert shown(client.get(LIST, {"region": "320000"})) == {local.pk, nanjing.pk}


def test_value_bands_and_range(client, make_public):
    small = make_public(original_value=Decimal("300000"))
    middle = make_public(original_value=Decimal("500000"))
    large = make_public(original_value=Decimal("2000000"))
    assert shown(client.get(LIST, {"band": "lt50"})) == {small.pk}
    assert shown(client.get(LIST, {"band": "50to200"})) == {middle.pk}
    assert shown(client.get(LIST, {"band": "gte200"})) == {large.pk}
    assert shown(client.get(LIST, {"value_min": "400000", "value_max": "500000"})) == {middle.pk}


def test_a_bad_value_is_reported_and_kept_without_failing(client, make_public):
    make_public()
    response = client.get(LIST, {"value_min": "abc", "q": "显微"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["value_min"]
    html = response.content.decode()
    assert 'value="abc"' in html and 'value="显微"' in html


def test_service_mode_filter(client, make_public):
    machine = make_public(offers_machine_time=True, offers_sample_testing=False)
    leasing = make_public(offers_leasing=True, offers_sample_testing=False)
    make_public(offers_sample_testing=True)
    assert shown(client.get(LIST, {"mode": "machine_time"})) == {machine.pk}
    assert shown(client.get(LIST, {"mode": ["machine_time", "leasing"]})) == {machine.pk, leasing.pk}


def test_unit_filter_and_certifications_and_keyword(client, make_public, other_unit, other_unit_admin):
    mine = make_public(cma_certified=True, manufacturer="岛津")
    theirs = make_public(owner=other_unit, actor=other_unit_admin)
    assert shown(client.get(LIST, {"unit": other_unit.pk})) == {theirs.pk}
    assert shown(client.get(LIST, {"cma": "on"})) == {mine.pk}
    assert shown(client.get(LIST, {"q": "岛津"})) == {mine.pk}
    assert shown(client.get(LIST, {"q": "su8010"})) == {mine.pk, theirs.pk}


def test_theme_filter_and_sort_by_value(client, make_public):
    theme = Theme.objects.create(slug="new-materials", name="化工新材料")
    cheap = make_public(original_value=Decimal("600000"))
    dear = make_public(original_value=Decimal("5000000"))
    cheap.themes.add(theme)
    assert shown(client.get(LIST, {"theme": "new-materials"})) == {cheap.pk}
    ordered = client.get(LIST, {"sort": "value_desc"}).context["page"].object_list
    assert [i.pk for i in ordered] == [dear.pk, cheap.pk]


def test_pilot_scale_list_and_toggle(client, make_public):
    pilot = make_public(is_pilot_scale=True)
    ordinary = make_public()
    assert shown(client.get(LIST)) == {pilot.pk, ordinary.pk}
    assert shown(client.get(LIST, {"pilot": "on"})) == {pilot.pk}
    response = client.get(reverse("catalog:pilot_list"))
    assert shown(response) == {pilot.pk}
    assert 'name="pilot"' not in response.content.decode()


def test_page_past_the_end_shows_the_last_page(client, make_public):
    for _ in range(21):
        make_public()
    for page in ("3", "999", "-1"):
        response = client.get(LIST, {"page": page})
        assert response.status_code == 200
        assert response.context["page"].number == 2
    assert client.get(LIST, {"page": "abc"}).context["page"].number == 1


def _list_queries(client, make_public, *, add, expect_rows):
    for _ in range(add):
        instrument = make_public()
        InstrumentPhoto.objects.create(instrument=instrument, image="instruments/x.jpg")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"region": "320800", "cls": "010000", "mode": "sample_testing"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == expect_rows
    return len(queries)


def test_list_query_count_does_not_grow_with_the_page(client, make_public, django_assert_max_num_queries):
    client.get(LIST)  # fills the cached unit filter, which later requests share
    few = _list_queries(client, make_public, add=3, expect_rows=3)
    many = _list_queries(client, make_public, add=22, expect_rows=20)
    assert few == many
    with django_assert_max_num_queries(few):
        client.get(LIST, {"page": "2", "sort": "value_desc"})


def test_unit_filter_offers_the_busiest_units_and_the_chosen_one(client, make_public, make_unit, monkeypatch):
    from dayi.catalog import choices

    monkeypatch.setattr(choices, "UNITS_OFFERED", 1)
    make_public()
    quiet = make_unit("安静的研究所")
    page = client.get(LIST).content.decode()
    assert "安静的研究所" not in page
    chosen = client.get(LIST, {"unit": quiet.pk})
    assert chosen.status_code == 200
    assert "安静的研究所" in chosen.content.decode()


def test_the_filter_lists_come_from_the_cache_and_follow_new_records(client, make_public):
    make_public()
    client.get(LIST)
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("accounts_region", "catalog_category", "catalog_theme", "catalog_instrumentclass"):
        assert f'FROM "{table}"' not in tables
    Theme.objects.create(slug="quantum", name="量子科技")
    assert '<option value="quantum">量子科技</option>' in client.get(LIST).content.decode()


def test_the_plain_select_writes_what_djangos_select_writes():
    from django import forms

    from dayi.catalog.choices import PlainSelect

    choices = [("", "全部"), ("分组 <1>", [("a", "甲 & 乙"), ("b", "丙")]), ("c", "<b>丁</b>")]
    attrs = {"class": "form-select", "id": "id_x", "required": True, "disabled": False}
    ours = PlainSelect(choices=choices).render("x", "a", attrs)
    djangos = forms.Select(choices=choices).render("x", "a", attrs)
    assert ours == "".join(line.strip() for line in djangos.splitlines())
    assert "&lt;b&gt;丁&lt;/b&gt;" in ours and 'label="分组 &lt;1&gt;"' in ours


def test_unit_and_theme_pages_query_count_does_not_grow(client, make_public, unit):
    theme = Theme.objects.create(slug="bio", name="生物医药")
    counts = []
    for count in (2, 12):
        for _ in range(count):
            make_public().themes.add(theme)
        with CaptureQueriesContext(connection) as unit_queries:
            client.get(reverse("catalog:unit_detail", args=[unit.pk]))
        with CaptureQueriesContext(connection) as theme_queries:
            client.get(reverse("catalog:theme_detail", args=["bio"]))
        counts.append((len(unit_queries), len(theme_queries)))
    assert counts[0] == counts[1]


def test_detail_shows_every_group(client, make_public):
    instrument = make_public(fee_standard="每小时 500 元", opening_hours="工作日 8:30–17:00", cnas_accredited=True)
    instrument.themes.add(Theme.objects.create(slug="ai", name="人工智能"))
    YearlyUsage.objects.create(instrument=instrument, year=2025, running_hours=1200, service_hours=300)
    response = client.get(reverse("catalog:detail", args=[instrument.pk]))
    html = response.content.decode()
    for section in ("basic-info", "classification", "value-origin", "service", "certifications", "location-contact"):
        assert f'id="{section}"' in html
    assert "80.00" in html  # 800,000 yuan shown as 80.00 万元
    assert "每小时 500 元" in html and "人工智能" in html and "1200.0" in html
    assert "010102" in html and "清江浦区" in html


def test_detail_is_404_for_a_draft_or_confidential_record(client, make_instrument, make_public, unit_admin):
    draft = make_instrument()
    confidential = make_public(is_confidential=True)
    assert client.get(reverse("catalog:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("catalog:detail", args=[confidential.pk])).status_code == 404
    client.force_login(unit_admin)
    assert client.get(reverse("catalog:detail", args=[draft.pk])).status_code == 200


def test_html_in_text_fields_is_escaped(client, make_public):
    attack = '<script>alert("x")</script>'
    instrument = make_public(name=f"显微镜{attack}", technical_specs=attack, fee_standard=attack)
    for url in (reverse("catalog:detail", args=[instrument.pk]), LIST):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html


def test_detail_query_count_does_not_grow_with_its_relations(client, make_public):
    def queries_for(related):
        instrument = make_public()
        for year in range(related):
            YearlyUsage.objects.create(instrument=instrument, year=2000 + year)
            InstrumentPhoto.objects.create(instrument=instrument, image=f"instruments/{year}.jpg")
            instrument.themes.add(Theme.objects.create(slug=f"t{instrument.pk}-{year}", name=f"专题{year}"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("catalog:detail", args=[instrument.pk])).status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(6)


def test_unit_list_and_page_show_counts_and_public_instruments_only(client, unit, make_instrument, make_public):
    make_public(original_value=Decimal("1500000"))
    draft = make_instrument()
    response = client.get(reverse("catalog:unit_list"))
    row = next(u for u in response.context["page"].object_list if u.pk == unit.pk)
    assert (row.instrument_count, row.total_value) == (1, Decimal("1500000"))
    page = client.get(reverse("catalog:unit_detail", args=[unit.pk]))
    assert draft.pk not in shown(page) and len(shown(page)) == 1
    assert "150.00" in page.content.decode()


def test_theme_pages(client, make_public):
    theme = Theme.objects.create(slug="nev", name="新能源汽车及零部件", name_en="NEV and parts")
    inside = make_public()
    make_public()
    inside.themes.add(theme)
    assert "新能源汽车及零部件" in client.get(reverse("catalog:theme_list")).content.decode()
    response = client.get(reverse("catalog:theme_detail", args=["nev"]))
    assert shown(response) == {inside.pk}
    assert client.get(reverse("catalog:theme_detail", args=["nothing"])).status_code == 404


def test_home_shows_categories_newest_and_themes(client, make_public):
    instrument = make_public(name="场发射扫描电镜")
    Theme.objects.create(slug="ic", name="新一代信息技术")
    html = client.get(reverse("web:home")).content.decode()
    assert f"{reverse('catalog:list')}?category=microscopy" in html
    assert html.count("category-card") == Category.objects.count()
    assert html.index("光谱仪器") < html.index("色谱仪器") < html.index("工艺实验与其他")
    assert instrument.name in html and "新一代信息技术" in html


def test_chinese_is_the_default(client, make_public):
    make_public()
    html = client.get(LIST).content.decode()
    assert "仪器目录" in html and "服务方式" in html and "万元" in html


@pytest.mark.parametrize("how", ["cookie", "header"])
def test_english_when_chosen(client, make_public, how):
    instrument = make_public()
    if how == "cookie":
        client.cookies["django_language"] = "en"
        headers = {}
    else:
        headers = {"Accept-Language": "en"}
    html = client.get(LIST, headers=headers).content.decode()
    assert "Instrument catalogue" in html and "Service mode" in html
    detail = client.get(reverse("catalog:detail", args=[instrument.pk]), headers=headers).content.decode()
    assert "Technical specifications" in detail or "technical specifications" in detail
    assert "Scanning electron microscope" in detail
