"""The page, suggestions and API: bad input never a server error; visibility; the dictionary."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q
from django.urls import reverse

from dayi.accounts.models import Role
from dayi.catalog.models import Instrument, Theme
from dayi.catalog.selectors import visible_instruments
from dayi.search import sampling
from dayi.search.indexing import index_instruments
from dayi.search.models import SearchDocument, Synonym
from dayi.search.selectors import visible_documents
from dayi.search.services import save_synonym

BAD_QUERIES = [
    "",
    "   ",
    "，。！？…",
    "' \" * : & | ! ( ) -",
    '"unclosed',
    "a AND OR NOT NEAR(",
    "'; DROP TABLE catalog_instrument; --",
    "🔬🧪 原吸 🚀",
    "Ｘ射线 diffractometer 衍射",
    "原" * 2000,
    "x" * 5000,
    "\x00\x01",
    *list("'\"*:&|!()-"),
    "icp*",
    "-核磁",
    "原吸 & | !",
    "(紫外 OR 红外)",
    "nmr:a",
    "原吸 icp-oes 🔬 " * 150,
    "Ｘ线衍射ｘｒｄ分析ＴＯＣ",
    "%",
    "_",
    "\\",
]


@pytest.fixture
def some(publish):
    from .catalogue import INSTRUMENTS

    return publish(INSTRUMENTS[:25])


@pytest.mark.django_db
@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_get_an_answer(client, some, query):
    for name in ("search:search", "search:suggestions", "search-api", "search-suggestions-api"):
        response = client.get(reverse(name), {"q": query})
        assert response.status_code == 200, (name, query)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "-3", "99999", "abc", "1e9", ""])
def test_out_of_range_pages(client, some, page):
    response = client.get(reverse("search-api"), {"q": "", "page": page})
    assert response.status_code == 200
    assert response.json()["page"] in (1, 2)
    assert client.get(reverse("search:search"), {"page": page}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"category": "x"}, {"region": "-1"}, {"mode": "free"}, {"sort": "price;"}])
def test_bad_filters_are_ignored(client, some, params):
    response = client.get(reverse("search-api"), params)
    assert response.status_code == 200
    assert response.json()["count"] == len(some)


@pytest.mark.django_db
def test_empty_query_shows_everything(client, some):
    data = client.get(reverse("search-api")).json()
    assert data["count"] == len(some)
    assert {"category", "region", "unit", "mode", "value", "status", "theme"} <= set(data["facets"])


@pytest.mark.django_db
def test_large_result_sets_are_counted_up_to_a_limit(client, some, monkeypatch):
    # In no facet sample, so the probe finds none and the count is exact: a bucket follows the
    # id, which on PostgreSQL depends on the tests before (sequences outlive a rollback).
    SearchDocument.objects.update(sample_bucket=sampling.BUCKETS - 1)
    monkeypatch.setattr("dayi.search.selectors.COUNT_LIMIT", 10)
    data = client.get(reverse("search-api")).json()
    assert (data["count"], data["count_is_lower_bound"]) == (10, True)
    assert sum(f["count"] for f in data["facets"]["category"]) == 10
    assert "超过 10 台仪器" in client.get(reverse("search:search")).content.decode()
    monkeypatch.setattr("dayi.search.selectors.COUNT_LIMIT", len(some))
    data = client.get(reverse("search-api")).json()
    assert (data["count"], data["count_is_lower_bound"]) == (len(some), False)


@pytest.mark.django_db
def test_api_results_facets_and_highlights(client, some):
    data = client.get(reverse("search-api"), {"q": "扫描电镜"}).json()
    assert data["results"][0]["name"] == "场发射扫描电子显微镜"
    assert "<mark>" in data["results"][0]["highlight"]["name"]
    assert sum(f["count"] for f in data["facets"]["category"]) == data["count"]
    narrowed = client.get(reverse("search-api"), {"q": "扫描电镜", "mode": "machine_time"}).json()
    assert narrowed["count"] == 0


@pytest.mark.django_db
def test_page_htmx_and_suggestions(client, some):
    page = client.get(reverse("search:search"), {"q": "原吸"})
    assert "原子吸收" in page.content.decode() and "<html" in page.content.decode()
    partial = client.get(reverse("search:search"), {"q": "原吸"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    suggestions = client.get(reverse("search:suggestions"), {"q": "yuanz"}).content.decode()
    assert "原子吸收" in suggestions


@pytest.mark.django_db
def test_confidential_and_drafts_never_shown_to_visitors(client, publish, unit_admin):
    from .catalogue import INSTRUMENTS

    publish(INSTRUMENTS[:1], is_confidential=True)
    publish(INSTRUMENTS[1:2], entry_status="draft")
    for query in ("场发射", "钨灯丝", "电镜", ""):
        assert client.get(reverse("search-api"), {"q": query}).json()["count"] == 0
        assert client.get(reverse("search-suggestions-api"), {"q": query}).json() == []
    client.force_login(unit_admin)
    assert client.get(reverse("search-api"), {"q": "电镜"}).json()["count"] == 2


@pytest.mark.django_db
def test_a_dictionary_change_applies_at_the_next_query(client, some, operator):
    assert client.get(reverse("search-api"), {"q": "黑匣子"}).json()["count"] == 0
    save_synonym(actor=operator, term="黑匣子", expansions="透射电子显微镜")
    names = {hit["name"] for hit in client.get(reverse("search-api"), {"q": "黑匣子"}).json()["results"]}
    assert names == {"场发射透射电子显微镜", "冷冻透射电子显微镜"}
    Synonym.objects.get(term="黑匣子").delete()
    assert client.get(reverse("search-api"), {"q": "黑匣子"}).json()["count"] == 0


@pytest.mark.django_db
def test_synonym_page_is_for_the_operator(client, unit_admin, operator):
    client.force_login(unit_admin)
    assert client.get(reverse("search:synonyms")).status_code == 403
    client.force_login(operator)
    assert client.get(reverse("search:synonyms")).status_code == 200
    response = client.post(reverse("search:synonyms"), {"term": "原吸", "expansions": "x"})
    assert "already" in response.content.decode() or "已" in response.content.decode()
    response = client.post(reverse("search:synonyms"), {"term": "色质", "expansions": "气相色谱-质谱联用仪"})
    assert response.status_code == 302
    edit = reverse("search:synonym_edit", args=[Synonym.objects.get(term="色质").pk])
    assert client.post(edit, {"delete": "1"}).status_code == 302
    assert not Synonym.objects.filter(term="色质").exists()


@pytest.mark.django_db
def test_very_broad_queries_list_the_newest_first(client, some, monkeypatch):
    from dayi.search import selectors

    monkeypatch.setattr(selectors, "RANK_LIMIT", 1)
    data = client.get(reverse("search-api"), {"q": "显微镜"}).json()
    assert data["count"] > 1
    assert data["results"][0]["id"] == max(hit["id"] for hit in data["results"])


@pytest.mark.django_db
def test_search_documents_follow_the_catalogues_visibility_rule(
    publish, make_unit, make_user, unit_admin, other_unit_admin, operator, huaian
):
    from dayi.accounts.models import Region

    from .catalogue import INSTRUMENTS

    publish(INSTRUMENTS[:3])
    publish(INSTRUMENTS[3:5], is_confidential=True)
    publish(INSTRUMENTS[5:7], entry_status="draft")
    elsewhere = make_unit("淮安区检测中心", region=Region.objects.get(code="320803"))
    hidden = publish(INSTRUMENTS[7:9], owner=elsewhere, is_confidential=True)
    Instrument.objects.filter(pk__in=[i.pk for i in hidden]).update(region=elsewhere.region)
    index_instruments([i.pk for i in hidden])
    authority = make_user(role=Role.AUTHORITY, region=huaian)
    for user in (AnonymousUser(), unit_admin, other_unit_admin, authority, operator):
        expected = set(visible_instruments(user).values_list("pk", flat=True))
        assert set(visible_documents(user).values_list("pk", flat=True)) == expected, user


@pytest.mark.django_db
def test_units_and_themes_that_match_are_offered(client, some, make_unit):
    unit = make_unit("淮安市分析测试中心")
    theme = Theme.objects.create(slug="battery", name="新能源电池", industry="新能源")
    data = client.get(reverse("search-api"), {"q": "分析测试中心"}).json()
    assert [u["id"] for u in data["units"]] == [unit.pk]
    data = client.get(reverse("search-api"), {"q": "新能源"}).json()
    assert [t["name"] for t in data["themes"]] == [theme.name]
    page = client.get(reverse("search:search"), {"q": "新能源"}).content.decode()
    assert reverse("catalog:theme_detail", args=[theme.slug]) in page
    assert client.get(reverse("search-api"), {"q": ""}).json()["units"] == []


@pytest.mark.django_db
def test_one_character_already_suggests(client, some):
    names = [s["name"] for s in client.get(reverse("search-suggestions-api"), {"q": "原"}).json()]
    assert any(name.startswith("原子吸收") for name in names)
    names = [s["name"] for s in client.get(reverse("search-suggestions-api"), {"q": "扫描 显"}).json()]
    assert "场发射扫描电子显微镜" in names and all("扫描" in name for name in names)


@pytest.mark.django_db
def test_pilot_scale_equipment_is_counted_and_filtered(client, some):
    # A queryset update sends no signal: the index is told by hand.
    Instrument.objects.filter(pk=some[0].pk).update(is_pilot_scale=True)
    index_instruments([some[0].pk])
    data = client.get(reverse("search-api")).json()
    assert data["facets"]["pilot"] == 1
    only = client.get(reverse("search-api"), {"pilot": "true"}).json()
    assert [hit["id"] for hit in only["results"]] == [some[0].pk]


@pytest.mark.django_db
def test_the_old_api_address_redirects(client, some):
    response = client.get(reverse("search:api"), {"q": "原吸", "page": "2"})
    assert response.status_code == 301
    assert response["Location"] == reverse("search-api") + "?q=%E5%8E%9F%E5%90%B8&page=2"
    assert client.get(response["Location"]).json()["query"] == "原吸"


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["relevance", "value", "newest", "usage"])
def test_every_sort_lists_every_match_once(client, some, sort):
    hits = []
    for page in (1, 2):
        hits += [hit["id"] for hit in client.get(reverse("search-api"), {"sort": sort, "page": page}).json()["results"]]
    assert sorted(hits) == sorted(i.pk for i in some)


@pytest.mark.django_db
def test_theme_counts_follow_the_theme_links(client, publish):
    from .catalogue import INSTRUMENTS

    some = publish(INSTRUMENTS[:6])
    battery = Theme.objects.create(slug="battery", name="新能源电池")
    chips = Theme.objects.create(slug="chips", name="集成电路")
    some[0].themes.add(chips, battery)
    some[1].themes.add(battery, chips)
    some[2].themes.add(chips)
    index_instruments([i.pk for i in some])
    counts = {f["value"]: f["count"] for f in client.get(reverse("search-api")).json()["facets"]["theme"]}
    assert counts == {str(battery.pk): 2, str(chips.pk): 3}
    data = client.get(reverse("search-api"), {"theme": battery.pk}).json()
    assert data["count"] == 2
    assert {f["value"]: f["count"] for f in data["facets"]["theme"]} == counts


@pytest.mark.django_db
def test_a_chosen_facet_still_counts_its_other_values(client, publish, unit, make_unit, monkeypatch):
    """Each chosen facet is counted with the other filters only; the rest with all of them."""
    from .catalogue import INSTRUMENTS

    other = make_unit("淮安市计量测试所")
    publish(INSTRUMENTS[:20])
    publish(INSTRUMENTS[20:30], owner=other)
    band = Q(original_value__gte=500_000, original_value__lt=1_000_000)
    data = client.get(reverse("search-api"), {"unit": other.pk, "value": "50-100"}).json()
    facet = {key: {f["value"]: f["count"] for f in data["facets"][key]} for key in ("unit", "value", "category")}
    in_band = Instrument.objects.filter(band)
    assert data["count"] == in_band.filter(owner=other).count() == 4
    assert facet["unit"] == {str(unit.pk): in_band.filter(owner=unit).count(), str(other.pk): 4}
    assert facet["value"] == {"50-100": 4, "100-200": 6}
    by_class = in_band.filter(owner=other).values_list("category_id").annotate(n=Count("pk"))
    assert facet["category"] == {str(pk): n for pk, n in by_class}
    page = client.get(reverse("search:search"), {"unit": other.pk, "value": "50-100"}).content.decode()
    assert f'value="{unit.pk}">' in page and 'value="100-200">' in page
    monkeypatch.setattr("dayi.search.facets.TOP_UNITS", 0)
    data = client.get(reverse("search-api"), {"unit": other.pk}).json()
    assert [f["value"] for f in data["facets"]["unit"]] == [str(other.pk)]


@pytest.mark.django_db
def test_units_and_themes_are_found_by_what_a_short_form_stands_for(client, some, make_unit, operator):
    unit = make_unit("清江浦工程学院")
    theme = Theme.objects.create(slug="ai", name="人工智能", industry="信息")
    save_synonym(actor=operator, term="清工", expansions="清江浦工程学院")
    save_synonym(actor=operator, term="AI", expansions="人工智能|artificial intelligence")
    assert [u["id"] for u in client.get(reverse("search-api"), {"q": "清工"}).json()["units"]] == [unit.pk]
    assert [t["id"] for t in client.get(reverse("search-api"), {"q": "ai"}).json()["themes"]] == [theme.pk]
    assert client.get(reverse("search-api"), {"q": "清工 人工智能"}).json()["units"] == []


@pytest.mark.django_db
def test_a_search_page_costs_the_same_statements_for_few_and_many_results(client, publish, make_unit):
    """No statement per result: the results read their units, regions and categories with them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .catalogue import INSTRUMENTS

    def statements():
        client.get(reverse("search:search"), {"q": "电子显微镜"})  # the remembered counts filled
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("search:search"), {"q": "电子显微镜"})
        assert response.status_code == 200
        return len(captured), response.content.decode().count('class="card mb-2"')

    publish(INSTRUMENTS[:2])
    few = statements()
    for number in range(3):
        publish(INSTRUMENTS[:5], owner=make_unit(f"第{number}研究院"))
    many = statements()
    assert few[1] < many[1]
    assert few[0] == many[0], (few, many)
