from dayi.accounts.models import Region, Role
from dayi.accounts.permissions import scope_of
from dayi.catalog.selectors import visible_instruments


def test_an_authority_sees_its_region_subtree_only(make_user, make_instrument, make_unit):
    huaian = Region.objects.get(code="320800")
    nanjing_unit = make_unit("南京某研究所", region=Region.objects.get(code="320106"))
    local = make_instrument(is_confidential=True)
    elsewhere = make_instrument(
        owner=nanjing_unit,
        actor=make_user(role=Role.UNIT_ADMIN, organisation=nanjing_unit),
        region=Region.objects.get(code="320106"),
    )
    authority = make_user(role=Role.AUTHORITY, region=huaian)
    visible = set(visible_instruments(authority).values_list("id", flat=True))
    assert local.id in visible
    assert elsewhere.id not in visible
    assert scope_of(authority).can_see_region(Region.objects.get(code="320812"))
    assert not scope_of(authority).can_see_region(Region.objects.get(code="320100"))
